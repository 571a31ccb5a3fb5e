// A file named on the command line is relative to the shell's folder. Inside the workspace the
// daemon reads it itself (streamed); elsewhere the CLI sends its text, or its bytes when they
// are not valid UTF-8 (decoding would turn bad bytes into U+FFFD and store them).
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainError } from '../errors/DomainError';

export function sourceParams(
  workspace: string,
  file: string,
  progressToken: string,
): { path: string; progressToken: string } | { name: string; content: string; progressToken: string } | { name: string; base64: string; progressToken: string } {
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) throw new DomainError('file-not-found', `${file}: no such file`, 'check the path; it is resolved from the current folder');
  if (!fs.statSync(absolute).isFile()) throw new DomainError('not-a-file', `${file}: is a folder, not a JSONL file`, 'name one .jsonl file (one {"input", "output"} object per line)');
  const rel = path.relative(fs.realpathSync(workspace), fs.realpathSync(absolute));
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return { path: rel, progressToken };
  const bytes = fs.readFileSync(absolute);
  if (!isUtf8(bytes)) return { name: file, base64: bytes.toString('base64'), progressToken };
  return { name: file, content: bytes.toString('utf8'), progressToken };
}
