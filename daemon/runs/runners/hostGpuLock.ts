// One GPU run at a time on a host, even across workspaces (each workspace has its own daemon):
// a host-wide lock file naming the holder. A holder that died (crash, kill -9) is taken over.
//
// The file is host-wide on purpose (several users and workspaces share the GPU), so it lives in a
// folder everyone can write (/tmp) and must survive what another user can plant there:
// - it appears complete or not at all, and only if absent: written to a temp file of our own
//   (O_EXCL|O_NOFOLLOW), then link(2)ed to the lock name, which fails on anything already there,
//   a link included; a reader never sees a half-written holder it would take for stale;
// - mode 0644: other users read who holds the GPU (the wait message names the run and workspace)
//   but cannot rewrite the holder (0666 let anyone forge or clear it);
// - it is read with O_NOFOLLOW|O_NONBLOCK and only as a regular file: a planted link or FIFO is
//   never followed or blocked on, and is not a lock anyone holds but is never deleted either: the
//   run waits and says what to remove;
// - a holder of another user is respected while its process lives (kill(pid, 0) answers EPERM);
//   a dead holder's file is removed only when it is still the file we read (same inode), and
//   in a sticky /tmp only its owner (or root) can remove it: otherwise the run waits and says so.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive } from '../../shared/instanceLock';
import type { Reservation, ReserveWait, RunSpec } from './types';

export interface GpuLockHolder {
  pid: number;
  workspace: string;
  runId: string;
  /** Set when the lock cannot be taken for another reason than a live run: what is wrong and what to do. */
  problem?: string;
}

const LOCK_MODE = 0o644;

export function gpuLockPath(): string {
  return process.env.FINETUNE_GPU_LOCK ?? path.join(os.tmpdir(), 'finetune-flywheel-gpu.lock');
}

/** Whether this host has an NVIDIA GPU a run could use. */
export function hostHasGpu(): boolean {
  return fs.existsSync('/dev/nvidia0') || fs.existsSync('/proc/driver/nvidia/gpus');
}

type Found = { kind: 'absent' } | { kind: 'holder'; holder: GpuLockHolder; ino: number; uid: number } | { kind: 'foreign'; what: string; ino?: number; uid?: number };

/** What is at the lock path, read without following a link or blocking on a FIFO. */
function inspect(file: string): Found {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ELOOP') return { kind: 'foreign', what: 'a symbolic link' };
    return { kind: 'foreign', what: `unreadable (${code ?? String(err)})` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { kind: 'foreign', what: 'not a regular file' };
    const text = fs.readFileSync(fd, 'utf8');
    const holder = parseHolder(text);
    // A file without a holder (cut short by a crash) is stale, like a dead holder's.
    return { kind: 'holder', holder: holder ?? { pid: -1, workspace: 'unknown', runId: 'unknown' }, ino: stat.ino, uid: stat.uid };
  } finally {
    fs.closeSync(fd);
  }
}

function parseHolder(text: string): GpuLockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<GpuLockHolder>;
    // pid 0 or negative would make kill(pid, 0) signal a whole process group: never a holder.
    if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0 || typeof v.workspace !== 'string' || typeof v.runId !== 'string') return undefined;
    return { pid: v.pid as number, workspace: v.workspace, runId: v.runId };
  } catch {
    return undefined;
  }
}

/** Creates the lock with its whole content, only if nothing is at `file` (not even a link). */
function createExclusive(file: string, me: GpuLockHolder): boolean {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, LOCK_MODE);
  try {
    fs.fchmodSync(fd, LOCK_MODE); // whatever the umask: others read it, only we write it
    fs.writeFileSync(fd, JSON.stringify({ pid: me.pid, workspace: me.workspace, runId: me.runId }));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Removes a dead holder's lock if it is still the file read (same inode); false when it cannot. */
function removeStale(file: string, ino: number): boolean {
  const now = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!now) return true;
  if (now.ino !== ino) return true; // replaced meanwhile: look again
  try {
    fs.unlinkSync(file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'EPERM' || code === 'EACCES') return false;
    throw err;
  }
}

/** Takes the lock now, or returns who holds it (or what keeps it from being taken). */
export function tryAcquireGpu(me: GpuLockHolder, file = gpuLockPath()): { release(): void } | GpuLockHolder {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, me)) {
      return {
        release: () => {
          const found = inspect(file);
          if (found.kind === 'holder' && found.holder.runId === me.runId && found.holder.pid === me.pid) removeStale(file, found.ino);
        },
      };
    }
    const found = inspect(file);
    if (found.kind === 'absent') continue;
    if (found.kind === 'foreign') {
      return { pid: 0, workspace: 'unknown', runId: 'unknown', problem: `${file} is ${found.what}, not a GPU lock file: remove it (it was not made by a daemon)` };
    }
    if (found.holder.pid > 0 && isAlive(found.holder.pid)) return found.holder;
    if (!removeStale(file, found.ino)) {
      return { ...found.holder, problem: `${file} names a run that is gone, but it belongs to user ${found.uid}, who (or root) must remove it` };
    }
  }
  const found = inspect(file);
  return found.kind === 'holder' ? found.holder : { pid: 0, workspace: 'unknown', runId: 'unknown', problem: `could not take ${file}: it keeps changing` };
}

/** Waits for the lock, reporting once who holds it; resolves with the release function. */
export async function acquireGpu(me: GpuLockHolder, onWait: (holder: GpuLockHolder) => void, signal?: { cancelled: boolean }, pollMs = 1000): Promise<(() => void) | undefined> {
  let told = false;
  for (;;) {
    const r = tryAcquireGpu(me);
    if ('release' in r) return r.release;
    if (!told) {
      onWait(r);
      told = true;
    }
    if (signal?.cancelled) return undefined;
    await new Promise((res) => setTimeout(res, pollMs));
  }
}

/**
 * reserve() for runners that train on this host (local, Docker): a run that may use a GPU waits,
 * still queued, until no other run on the host holds one.
 */
export async function reserveHostGpu(spec: RunSpec, wait: ReserveWait): Promise<Reservation | undefined> {
  if (spec.resources.gpusPerNode === 'none' || spec.resources.gpusPerNode === 0 || !hostHasGpu()) return { release: () => undefined };
  const release = await acquireGpu(
    { pid: process.pid, workspace: spec.workspace, runId: spec.runId },
    (h) => wait.say(h.problem ? `run ${spec.runId} waits for the GPU: ${h.problem}` : `run ${spec.runId} waits for the GPU: run ${h.runId} of ${h.workspace} (pid ${h.pid}) is using it`),
    {
      get cancelled() {
        return wait.calledOff();
      },
    },
  );
  return release ? { release } : undefined;
}
