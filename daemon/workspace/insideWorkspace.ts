// Every path a client names must stay inside the workspace: "..", absolute paths elsewhere
// and symlinks pointing out are refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainError } from '../errors/DomainError';

export function resolveInside(workspace: string, requested: string): string {
  const root = fs.realpathSync(workspace);
  const absolute = path.resolve(root, requested);
  if (!isWithin(root, absolute)) throw outside(requested);
  // Resolve symlinks of the deepest existing ancestor, so a link out of the workspace is caught
  // even when the final file does not exist yet.
  let existing = absolute;
  while (!fs.existsSync(existing) && existing !== root) existing = path.dirname(existing);
  const real = fs.realpathSync(existing);
  if (!isWithin(root, real)) throw outside(requested);
  return path.join(real, path.relative(existing, absolute));
}

export function relativeToWorkspace(workspace: string, absolute: string): string {
  return path.relative(fs.realpathSync(workspace), absolute) || '.';
}

function isWithin(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function outside(requested: string): DomainError {
  return new DomainError('path-outside-workspace', `${requested}: the path is outside the workspace`,
    'name a file inside the workspace folder (the CLI sends the content of files elsewhere itself)',
  );
}

export function mustExist(absolute: string, shown: string): void {
  if (!fs.existsSync(absolute)) {
    throw new DomainError('file-not-found', `${shown}: no such file`, 'check the path; it is resolved from the workspace root');
  }
  if (!fs.statSync(absolute).isFile()) {
    throw new DomainError('not-a-file', `${shown}: is a folder, not a JSONL file`, 'name one .jsonl file (one {"input", "output"} object per line)');
  }
}
