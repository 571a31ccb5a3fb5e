// Where a workspace's daemon listens. Unix socket paths are limited to ~107 bytes, so the
// socket is named by a hash of the workspace path inside a private (0700) runtime folder.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function runtimeDir(): string {
  const base = process.env.FINETUNE_RUNTIME_DIR
    ?? (process.env.XDG_RUNTIME_DIR ? path.join(process.env.XDG_RUNTIME_DIR, 'finetune-flywheel') : path.join(os.tmpdir(), `finetune-flywheel-${os.userInfo().uid}`));
  fs.mkdirSync(base, { recursive: true, mode: 0o700 });
  // The folder's mode is the authentication: refuse one that others can enter.
  const st = fs.statSync(base);
  if (st.uid !== os.userInfo().uid || (st.mode & 0o077) !== 0) fs.chmodSync(base, 0o700);
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
