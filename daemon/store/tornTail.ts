// A crash can leave the last line of an append-only file cut, zero-filled or garbage. It is not
// deleted: its bytes go to a `<name>.corrupt-<time>` file first, then the original is truncated
// to the last good line, so the next append starts clean.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { AtomicFile } from './atomicWrite';
import { openNoFollow } from '../workspace/noFollow';

export interface SetAside {
  /** Where the fragment now lives. */
  path: string;
  bytes: number;
}

/** "2025-01-31T12-00-00.000Z": ISO time without the colons Windows forbids in names. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/:/g, '-');
}

async function freeName(base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    try {
      await fsp.lstat(candidate);
    } catch {
      return candidate;
    }
  }
}

/** Copy bytes `from`..EOF of `file` into `asideDir`, durably, then truncate `file` at `from`. */
export async function setAsideTail(file: string, from: number, asideDir: string): Promise<SetAside> {
  const handle = await openNoFollow(file, 'r+');
  try {
    const { size } = await handle.stat();
    const aside = await AtomicFile.create(asideDir, path.basename(file));
    try {
      // Streamed: a torn tail can be a huge run of zeros.
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      for (let pos = from; pos < size; ) {
        const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - pos), pos);
        if (bytesRead === 0) break;
        await aside.write(chunk.subarray(0, bytesRead));
        pos += bytesRead;
      }
    } catch (error) {
      await aside.abort();
      throw error;
    }
    const target = await freeName(path.join(asideDir, `${path.basename(file)}.corrupt-${fileTimestamp()}`));
    if ((await aside.commit(target, { keepExisting: true })) === 'exists') {
      throw new Error(`cannot set the torn tail of ${file} aside: ${target} appeared meanwhile`);
    }
    // Only once the fragment is safe elsewhere is it cut from the original.
    await handle.truncate(from);
    await handle.sync();
    return { path: target, bytes: size - from };
  } finally {
    await handle.close();
  }
}
