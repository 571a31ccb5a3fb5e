// The daemon never writes, renames or deletes through a symbolic link: a cloned repository can
// carry a link where the daemon keeps its own file or folder (models/finetuned/.staging, the
// dataset, data/.flywheel/*.jsonl, logs/finetuning.log), and following it would touch files
// outside the workspace. Files are opened with O_NOFOLLOW; folders are checked with lstat.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { DomainError } from '../errors/DomainError';

const C = fs.constants;
const FLAGS = {
  r: C.O_RDONLY,
  'r+': C.O_RDWR,
  a: C.O_WRONLY | C.O_APPEND | C.O_CREAT,
  'a+': C.O_RDWR | C.O_APPEND | C.O_CREAT,
  w: C.O_WRONLY | C.O_CREAT | C.O_TRUNC,
  wx: C.O_WRONLY | C.O_CREAT | C.O_EXCL,
} as const;
export type NoFollowFlags = keyof typeof FLAGS;

export function linkRefused(file: string): DomainError {
  return new DomainError(
    'link-refused',
    `${file} is a symbolic link where the daemon keeps its own file or folder; nothing was written or deleted through it`,
    'replace the link with a real file or folder (or remove it), then try again',
  );
}

/** fsp.open that refuses a link as the last path component. */
export async function openNoFollow(file: string, flags: NoFollowFlags, mode = 0o644): Promise<fsp.FileHandle> {
  try {
    return await fsp.open(file, FLAGS[flags] | C.O_NOFOLLOW, mode);
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'ELOOP' ? linkRefused(file) : error;
  }
}

export function openNoFollowSync(file: string, flags: NoFollowFlags, mode = 0o644): number {
  try {
    return fs.openSync(file, FLAGS[flags] | C.O_NOFOLLOW, mode);
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'ELOOP' ? linkRefused(file) : error;
  }
}

/** Refuses `target` when it (existing) is a link; a missing path is fine. */
export async function refuseLink(target: string): Promise<void> {
  const stat = await fsp.lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stat?.isSymbolicLink()) throw linkRefused(target);
}

export function refuseLinkSync(target: string): void {
  const stat = fs.lstatSync(target, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) throw linkRefused(target);
}

/** Refuses a link at `target` or at any folder between `root` and it (root itself may be one). */
export async function refuseLinksBelow(root: string, target: string): Promise<void> {
  const rel = path.relative(root, target);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw linkRefused(target);
  let current = root;
  for (const part of rel.split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    await refuseLink(current);
  }
}

/** mkdir -p, then refuses the folder if it is (or was already) a link. */
export async function mkdirNoFollow(dir: string): Promise<void> {
  await refuseLink(dir);
  await fsp.mkdir(dir, { recursive: true });
  await refuseLink(dir);
}

export function mkdirNoFollowSync(dir: string): void {
  refuseLinkSync(dir);
  fs.mkdirSync(dir, { recursive: true });
  refuseLinkSync(dir);
}
