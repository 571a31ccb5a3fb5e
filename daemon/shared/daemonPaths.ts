// Where a workspace's daemon listens. Unix socket paths are limited to ~107 bytes, so the
// socket is named by a hash of the workspace path inside a private (0700) runtime folder.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertPrivateDir } from './privateDir';

export function runtimeDir(): string {
  const base = process.env.FINETUNE_RUNTIME_DIR
    ?? (process.env.XDG_RUNTIME_DIR ? path.join(process.env.XDG_RUNTIME_DIR, 'finetune-flywheel') : path.join(os.tmpdir(), `finetune-flywheel-${os.userInfo().uid}`));
  fs.mkdirSync(path.dirname(base), { recursive: true });
  try {
    fs.mkdirSync(base, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  assertPrivateDir(base);
  return base;
}

export function workspaceKey(workspace: string): string {
  return crypto.createHash('sha256').update(path.resolve(workspace)).digest('hex').slice(0, 16);
}

export interface DaemonPaths {
  socket: string;
  lock: string;
  info: string;
}

export function daemonPaths(workspace: string): DaemonPaths {
  const dir = runtimeDir();
  const key = workspaceKey(workspace);
  return { socket: path.join(dir, `${key}.sock`), lock: path.join(dir, `${key}.lock`), info: path.join(dir, `${key}.json`) };
}
