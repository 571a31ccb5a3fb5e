// After a failed write or fsync the store stops writing (a retried fsync can "succeed" over
// pages the kernel already dropped). It heals by itself instead of waiting for a restart: a probe
// file written and fsynced in the same folder, through the same I/O as real appends, says the
// disk takes writes again; then the file is reopened and re-read, never trusted from before.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { AppendIO } from './AppendLog';
import { fsyncDir } from './atomicWrite';
import { describeError, StoreError } from './errors';

const PROBE_BYTES = Buffer.alloc(4096, 0x20);
/** Probes at most this often, so a full disk is not hammered by every refused append. */
export const PROBE_EVERY_MS = 200;

/** Resolves when `dir` takes a 4 KiB write and its fsync; rejects with the error otherwise. */
export async function probeWritable(dir: string, io: AppendIO): Promise<void> {
  const file = path.join(dir, `.probe-${randomBytes(6).toString('hex')}`);
  const handle = await fsp.open(file, 'wx', 0o600);
  try {
    await io.write(handle, PROBE_BYTES);
    await io.sync(handle);
  } finally {
    await handle.close();
    await fsp.rm(file, { force: true });
  }
  await fsyncDir(dir);
}

/** The refusal a failed write leaves behind: a storage error that says what to do and that it heals. */
export function storageFault(file: string, error: unknown, what = 'Writing'): StoreError {
  return new StoreError(
    `${what} ${file} failed (${describeError(error)}).`,
    'Free disk space or fix the disk (check permissions too); the daemon tries again by itself and carries on once a write succeeds, re-reading the file first. Nothing was acknowledged that is not on disk.',
    'failed',
  );
}

/** Throttles probes: true when a probe is due. */
export class ProbeClock {
  private last = 0;
  due(): boolean {
    const now = Date.now();
    if (now - this.last < PROBE_EVERY_MS) return false;
    this.last = now;
    return true;
  }
}
