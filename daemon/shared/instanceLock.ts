// One daemon per workspace: an O_EXCL lock file holding the owner's pid. A lock whose pid is
// gone (a crash, kill -9) is stale and taken over.
import * as fs from 'node:fs';
import { DomainError } from '../errors/DomainError';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A killed process whose parent never reaps it (a detached daemon re-parented to a container's
 * init that does not wait) still answers kill(pid, 0): on Linux, /proc says it is a zombie.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

export class LockHeldError extends DomainError {
  constructor(readonly pid: number) {
    super('daemon-running', `another daemon (pid ${pid}) already serves this workspace`, 'use it, or stop it with "finetune daemon --stop"');
  }
}

export function acquireLock(lockPath: string): { release(): void } {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      return {
        release: () => {
          try {
            if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isFinite(owner) && owner !== process.pid && isAlive(owner)) throw new LockHeldError(owner);
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DomainError('daemon-start-failed', `cannot take the daemon lock ${lockPath}`, 'remove it if no daemon is running');
}
