// Runs the built daemon (dist/cli.js daemon) as a real child process and connects real clients.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { DaemonClient } from '../../daemon/client/DaemonClient';
import type { TestWorkspace } from './workspace';
import { workspaceKey } from '../../daemon/shared/daemonPaths';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface DaemonProcess {
  proc: ChildProcess;
  stderr(): string;
  connect(client?: string): Promise<DaemonClient>;
  /** Ask it to shut down and wait for the exit code. */
  stop(): Promise<number | null>;
  kill9(): Promise<void>;
  exited: Promise<number | null>;
}

export async function startDaemonProcess(ws: TestWorkspace, timeoutMs = 30_000): Promise<DaemonProcess> {
  const proc = spawn(process.execPath, [CLI, 'daemon', '--workspace', ws.dir], { env: ws.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  proc.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const socket = path.join(ws.runtimeDir, `${workspaceKey(ws.dir)}.sock`);
  const connect = (client = 'test') => DaemonClient.connect(ws.dir, client, socket);
  // Ready when a hello is answered (the signal), or failed when the process exits first.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`daemon exited during start-up:\n${err}`);
    try {
      (await connect('probe')).close();
      break;
    } catch {
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`daemon did not answer within ${timeoutMs} ms:\n${err}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    proc,
    stderr: () => err,
    connect,
    exited,
    async stop() {
      if (gone) return exited;
      proc.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      if (!gone) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs the finetune CLI to completion. */
export function runCli(ws: TestWorkspace, args: string[], opts: { cwd?: string } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--workspace', ws.dir], { env: ws.env, cwd: opts.cwd ?? ws.dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
