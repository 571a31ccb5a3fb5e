// How the store tells that a file changed without reading it: size, mtime and inode. An editor's
// in-place save changes size or mtime; a save by rename changes the inode.
import type { Stats } from 'node:fs';

export interface Fingerprint {
  size: number;
  mtimeMs: number;
  ino: number;
}

export function fingerprintOf(stats: Stats): Fingerprint {
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

/** null stands for "no file". */
export function sameFingerprint(a: Fingerprint | null, b: Fingerprint | null): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}
