// Crash-safe file writes. A replace is four steps: temp file in the same folder → fsync it →
// rename over the target → fsync the folder (without the last step the rename itself can be lost
// on power failure). An append is acknowledged only after its bytes are fsynced.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { isErrno } from './errors';
import { openNoFollow } from '../workspace/noFollow';

export type FileHandle = fsp.FileHandle;

/** fsync a folder so that a new name in it (rename, create) survives power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** write(2) may write fewer bytes than asked: loop until all of them are written. */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, null);
    if (bytesWritten <= 0) throw new Error(`write wrote 0 of ${bytes.length - done} bytes`);
    done += bytesWritten;
  }
}

/**
 * A file that appears under its final name complete and fsynced, or not at all.
 * Used for whole-file replaces and for files whose name is known only at the end
 * (content-addressed snapshots, set-aside fragments).
 */
export class AtomicFile {
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly tempPath: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(dir: string, baseName: string): Promise<AtomicFile> {
    await fsp.mkdir(dir, { recursive: true });
    // Same folder as the target so the rename cannot cross file systems; 'wx' never reuses a
    // temp file another process left or is writing.
    const tempPath = path.join(dir, `.${baseName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await fsp.open(tempPath, 'wx', 0o644);
    return new AtomicFile(dir, tempPath, handle);
  }

  write(data: string | Uint8Array): Promise<void> {
    return writeAll(this.handle, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  /**
   * fsync, rename to `target`, fsync the folder. With `keepExisting`, an existing target is left
   * as it is (content-addressed files: same name, same bytes) and 'exists' is returned.
   */
  async commit(target: string, options: { mode?: number; keepExisting?: boolean } = {}): Promise<'written' | 'exists'> {
    try {
      // Set the mode before the name appears, so the file is never visible writable.
      if (options.mode !== undefined) await this.handle.chmod(options.mode);
      await this.handle.sync();
    } catch (error) {
      await this.abort();
      throw error;
    }
    await this.close();
    let outcome: 'written' | 'exists' = 'written';
    try {
      if (options.keepExisting) {
        // link(2) fails with EEXIST instead of replacing: no check-then-rename race.
        try {
          await fsp.link(this.tempPath, target);
        } catch (error) {
          if (!isErrno(error, 'EEXIST')) throw error;
          outcome = 'exists';
        }
        await fsp.unlink(this.tempPath);
      } else {
        await fsp.rename(this.tempPath, target);
      }
    } catch (error) {
      await fsp.rm(this.tempPath, { force: true });
      throw error;
    }
    await fsyncDir(path.dirname(target));
    return outcome;
  }

  /** Drop the temp file; safe to call after a failure. */
  async abort(): Promise<void> {
    await this.close().catch(() => undefined);
    await fsp.rm(this.tempPath, { force: true }).catch(() => undefined);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/** Replace `target` with `data` so that a crash leaves either the old or the new file, never a mix. */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const file = await AtomicFile.create(path.dirname(target), path.basename(target));
  try {
    await file.write(data);
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit(target, options);
}

/**
 * Append `data` and fsync before resolving. Given a path, the file is created if needed, and a
 * newly created file's folder entry is fsynced too.
 */
export async function appendDurable(target: string | FileHandle, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (typeof target !== 'string') {
    await writeAll(target, bytes);
    await target.sync();
    return;
  }
  let created = false;
  let handle: FileHandle;
  try {
    handle = await openNoFollow(target, 'wx');
    created = true;
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    handle = await openNoFollow(target, 'a');
  }
  try {
    await writeAll(handle, bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created) await fsyncDir(path.dirname(target));
}
