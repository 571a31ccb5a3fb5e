// Finding, starting and stopping a workspace's daemon process. Node only (no vscode), so it is
// tested against a stand-in daemon. The socket path is the daemon's own derivation
// (daemonPaths: a hash of the workspace path in the runtime dir; honours FINETUNE_RUNTIME_DIR).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { isAlive } from '../../daemon/shared/instanceLock';
import { daemonPaths } from '../../daemon/shared/daemonPaths';

export { isAlive };

export const START_TIMEOUT_MS = 60_000;

export class DaemonStartError extends Error {
  /** The daemon process that was started, when it may still be running (a timeout, an abort). */
  pid?: number;
}

export interface DaemonLocation {
  socket: string;
  /** The daemon's lock file: holds its pid. */
  lock: string;
  /** Where a daemon started by the extension writes its stderr. */
  stderr: string;
}

export function locate(workspace: string): DaemonLocation {
  const p = daemonPaths(workspace);
  return { socket: p.socket, lock: p.lock, stderr: p.info.replace(/\.json$/, '.stderr') };
}

/** A connected socket, or undefined when nothing listens there (no file, or a stale one). */
export function tryConnect(socketPath: string): Promise<net.Socket | undefined> {
  return new Promise((resolve, reject) => {
    const s = net.connect(socketPath);
    const onError = (err: NodeJS.ErrnoException) => {
      s.destroy();
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'ENOTSOCK') resolve(undefined);
      else reject(err);
    };
    s.once('error', onError);
    s.once('connect', () => {
      s.off('error', onError);
      resolve(s);
    });
  });
}

export interface SpawnOptions {
  workspace: string;
  /** dist/cli.js of this extension. */
  cliPath: string;
  /** The Node executable; VS Code's own runtime (ELECTRON_RUN_AS_NODE) when left out. */
  nodePath?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Stops waiting (the extension is deactivating). */
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/**
 * Starts `node cli.js daemon --workspace W` detached (so training outlives the window) and
 * waits until it accepts a connection, which is returned. If another window started one at the
 * same moment, that one is used. Fails with the daemon's stderr when it exits during start-up.
 */
export async function spawnDaemon(o: SpawnOptions): Promise<net.Socket> {
  const where = locate(o.workspace);
  if (!fs.existsSync(o.cliPath)) throw new DaemonStartError(`the daemon program is missing: ${o.cliPath} (the extension is not built or packaged correctly)`);
  const node = o.nodePath || process.execPath;
  const errFd = fs.openSync(where.stderr, 'w', 0o600);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  let pid: number | undefined;
  try {
    const child = spawn(node, [o.cliPath, 'daemon', '--workspace', o.workspace], {
      cwd: o.workspace,
      detached: true,
      stdio: ['ignore', 'ignore', errFd],
      // VS Code's executable is Electron: make it behave as Node. Harmless for a real Node.
      env: { ...process.env, ...o.env, ELECTRON_RUN_AS_NODE: '1', FINETUNE_DETACHED: '1' },
    });
    child.once('error', (err) => (spawnError = err));
    child.once('exit', (code, signal) => (exited = { code, signal }));
    child.unref();
    pid = child.pid;
    o.log?.(`started the daemon: ${node} ${o.cliPath} daemon --workspace ${o.workspace} (pid ${child.pid ?? '?'})`);
  } finally {
    fs.closeSync(errFd);
  }
  const deadline = Date.now() + (o.timeoutMs ?? START_TIMEOUT_MS);
  for (let wait = 50; ; wait = Math.min(wait * 2, 250)) {
    const socket = await tryConnect(where.socket);
    if (socket) return socket;
    if (spawnError) throw new DaemonStartError(`could not start ${node}: ${spawnError.message}; set "finetune.nodePath" to a Node 20 executable`);
    if (exited) {
      // Lost a race with another window's daemon? Then use that one.
      const other = await tryConnect(where.socket);
      if (other) return other;
      const how = exited.signal ? `signal ${exited.signal}` : `code ${exited.code}`;
      throw new DaemonStartError(`the daemon exited during start-up (${how}): ${readTail(where.stderr) || 'no output'}`);
    }
    if (o.signal?.aborted) throw withPid(new DaemonStartError('stopped waiting for the daemon'), pid);
    if (Date.now() > deadline) {
      throw withPid(new DaemonStartError(`the daemon did not answer within ${Math.round((o.timeoutMs ?? START_TIMEOUT_MS) / 1000)}s; see ${where.stderr} and logs/finetuning.log`), pid);
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** The pid in the daemon's lock file, when that process is alive. */
export function daemonPid(workspace: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(locate(workspace).lock, 'utf8'), 10);
    return Number.isFinite(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}


/** Waits until a process is gone; true when it went within the time. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

function withPid(err: DaemonStartError, pid: number | undefined): DaemonStartError {
  err.pid = pid;
  return err;
}

function readTail(file: string, max = 2000): string {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return text.length > max ? `…${text.slice(-max)}` : text;
  } catch {
    return '';
  }
}
