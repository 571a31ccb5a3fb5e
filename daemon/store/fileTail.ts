// A file's last bytes, kept to tell an append (they are still in place) from an edit (they moved
// or changed) without reading the file again.
import { promises as fsp } from 'node:fs';
import { isErrno } from './errors';
import { openNoFollow } from '../workspace/noFollow';

/** Enough to tell one line-ending stretch of JSONL from another. */
export const TAIL_BYTES = 4096;

/** Where a file ended when it was last read: its inode, size and the bytes before that size. */
export interface FileEnd {
  ino: number;
  size: number;
  tail: Buffer;
}

/** The `bytes` (default TAIL_BYTES) bytes before `end`, or fewer at the start of the file. */
export async function readTail(handle: fsp.FileHandle, end: number, bytes = TAIL_BYTES): Promise<Buffer> {
  const length = Math.min(bytes, end);
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, end - length + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buffer.subarray(0, got);
}

/** Where `file` ends, or ended at `size` (a shorter prefix), read without following a link. */
export async function fileEnd(file: string, size?: number): Promise<FileEnd | undefined> {
  const handle = await openNoFollow(file, 'r').catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  });
  if (!handle) return undefined;
  try {
    const { ino, size: now } = await handle.stat();
    const end = Math.min(now, size ?? now);
    return { ino, size: end, tail: await readTail(handle, end) };
  } finally {
    await handle.close();
  }
}

/** Whether `file` is the same file as at `then`, with every byte up to then's size still there, as far as the tail tells. */
export async function onlyGrewSince(file: string, then: FileEnd): Promise<boolean> {
  const handle = await fsp.open(file, 'r').catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  });
  if (!handle) return false;
  try {
    const { ino, size } = await handle.stat();
    if (ino !== then.ino || size < then.size) return false;
    return (await readTail(handle, then.size, then.tail.length)).equals(then.tail);
  } finally {
    await handle.close();
  }
}
