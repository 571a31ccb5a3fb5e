// One GPU run at a time on a host, even across workspaces (each workspace has its own daemon):
// a host-wide lock file naming the holder. A holder that died (crash, kill -9) is taken over.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive } from '../../shared/instanceLock';
import type { Reservation, ReserveWait, RunSpec } from './types';

export interface GpuLockHolder {
  pid: number;
  workspace: string;
  runId: string;
}

export function gpuLockPath(): string {
  return process.env.FINETUNE_GPU_LOCK ?? path.join(os.tmpdir(), 'finetune-flywheel-gpu.lock');
}

/** Whether this host has an NVIDIA GPU a run could use. */
export function hostHasGpu(): boolean {
  return fs.existsSync('/dev/nvidia0') || fs.existsSync('/proc/driver/nvidia/gpus');
}

function readHolder(file: string): GpuLockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as GpuLockHolder;
  } catch {
    return undefined;
  }
}

/** Takes the lock now, or returns who holds it. */
export function tryAcquireGpu(me: GpuLockHolder, file = gpuLockPath()): { release(): void } | GpuLockHolder {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o666 });
      return {
        release: () => {
          if (readHolder(file)?.runId === me.runId) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && isAlive(holder.pid)) return holder;
      fs.rmSync(file, { force: true }); // stale: its daemon is gone
    }
  }
  return readHolder(file) ?? { pid: 0, workspace: 'unknown', runId: 'unknown' };
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
    (h) => wait.say(`run ${spec.runId} waits for the GPU: run ${h.runId} of ${h.workspace} (pid ${h.pid}) is using it`),
    {
      get cancelled() {
        return wait.calledOff();
      },
    },
  );
  return release ? { release } : undefined;
}
