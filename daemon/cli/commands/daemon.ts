// finetune daemon: foreground (logs on stderr, Ctrl-C stops), --detach (returns once the daemon
// answers hello), --stop (asks it to shut down and waits until its process is gone).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { DaemonClient, DaemonNotRunningError } from '../../client/DaemonClient';
import { startDaemon } from '../../Daemon';
import { DaemonShutdown } from '../../protocol';
import { isAlive } from '../../shared/instanceLock';
import { daemonPaths } from '../../shared/daemonPaths';
import { capStderr, openStderrFile } from '../../shared/stderrFile';
import { DomainError } from '../../errors/DomainError';
import { printJson, type CliContext } from '../context';

const START_TIMEOUT_MS = 60_000;

export async function daemon(ctx: CliContext): Promise<number> {
  if (ctx.flags.stop) return stop(ctx);
  if (ctx.flags.detach) return detach(ctx);
  // Detached, stderr is a file beside the socket that nothing else trims.
  if (process.env.FINETUNE_DETACHED === '1') capStderr();
  const running = await startDaemon(ctx.workspace, { echo: ctx.err });
  if (ctx.json) printJson(ctx, running.info);
  else ctx.err.write(`finetune daemon serving ${ctx.workspace} (pid ${process.pid}); metrics at ${running.info.metrics}; Ctrl-C stops it\n`);
  const onSignal = () => void running.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await running.stopped;
  // Everything is closed and flushed by now; exit even if a library left a handle behind.
  process.exit(0);
}

function infoOf(client: DaemonClient): Record<string, unknown> {
  const { hello } = client;
  return { socket: daemonPaths(hello.workspace).socket, pid: hello.pid, metrics: hello.metrics, workspace: hello.workspace, version: hello.daemonVersion };
}

async function detach(ctx: CliContext): Promise<number> {
  const existing = await tryConnect(ctx.workspace);
  if (existing) {
    const info = infoOf(existing);
    existing.close();
    report(ctx, info, 'already running');
    return 0;
  }
  const paths = daemonPaths(ctx.workspace);
  const errFile = paths.info.replace(/\.json$/, '.stderr');
  const errFd = openStderrFile(errFile);
  const child = spawn(process.execPath, [process.argv[1], 'daemon', '--workspace', ctx.workspace], {
    detached: true,
    stdio: ['ignore', 'ignore', errFd],
    env: { ...process.env, FINETUNE_DETACHED: '1' },
  });
  fs.closeSync(errFd);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new DomainError('daemon-start-failed', `the daemon exited during start-up (code ${exited}):\n${fs.readFileSync(errFile, 'utf8').trim()}`, 'fix what it says, then start it again');
    }
    const client = await tryConnect(ctx.workspace);
    if (client) {
      const info = infoOf(client);
      client.close();
      report(ctx, info, 'started');
      return 0;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new DomainError('daemon-start-failed', `the daemon did not answer within ${START_TIMEOUT_MS / 1000}s`, `see ${errFile} and logs/finetuning.log`);
}

async function stop(ctx: CliContext): Promise<number> {
  const client = await tryConnect(ctx.workspace);
  if (!client) {
    if (ctx.json) printJson(ctx, { stopped: false, running: false });
    else ctx.err.write(`no daemon is running for ${ctx.workspace}\n`);
    return 0;
  }
  const pid = client.hello.pid;
  // The daemon may close the socket before its reply arrives: either one means it is stopping.
  const closed = new Promise<void>((r) => client.onClose(r));
  await Promise.race([client.request(DaemonShutdown, {}).catch(() => undefined), closed]);
  client.close();
  // Wait for the process itself, so a restart can follow at once.
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) throw new DomainError('daemon-stop-failed', `daemon ${pid} did not stop within 30s`, `see logs/finetuning.log, or kill it (kill ${pid})`);
  if (ctx.json) printJson(ctx, { stopped: true, pid });
  else ctx.err.write(`daemon ${pid} stopped\n`);
  return 0;
}

async function tryConnect(workspace: string): Promise<DaemonClient | undefined> {
  try {
    return await DaemonClient.connect(workspace);
  } catch (err) {
    if (err instanceof DaemonNotRunningError) return undefined;
    throw err;
  }
}

function report(ctx: CliContext, info: Record<string, unknown>, what: string): void {
  if (ctx.json) printJson(ctx, info);
  else ctx.err.write(`daemon ${what}: pid ${info.pid}, socket ${info.socket}, metrics ${info.metrics}\n`);
}
