// The connection to the workspace's daemon: a vscode-languageclient LanguageClient over the
// daemon's Unix socket. ServerOptions returns the socket's streams (detached: the daemon is
// shared and outlives the window); when nothing answers, the daemon is started detached first.
// A lost connection or a failed start is remade with a new client (visible message, growing
// delay, at most 5 times in 3 minutes); then the user is asked to restart it.
import type * as net from 'node:net';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  type LanguageClientOptions,
  type ServerOptions,
  type StreamInfo,
} from 'vscode-languageclient/node';
import { DaemonClient } from '../../daemon/client/DaemonClient';
import { DaemonShutdown, PROTOCOL_VERSION } from '../../daemon/protocol';
import { describeError, isProtocolMismatch } from '../errors';
import type { FlywheelState } from '../state/FlywheelState';
import { Emitter } from '../util/Emitter';
import type { DaemonApi, RpcClient } from './DaemonApi';
import { daemonPid, locate, spawnDaemon, tryConnect, waitForExit } from './daemonProcess';
import { RestartPolicy } from './restartPolicy';
import { settings } from '../settings';

export const SAMPLE_COMMANDS = ['finetune.sample.accept', 'finetune.sample.reject', 'finetune.sample.rejudge', 'finetune.sample.correct'];

class DaemonNotRunning extends Error {}

async function shutdownOverSocket(workspace: string, output: vscode.LogOutputChannel): Promise<void> {
  const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000));
  const client = await Promise.race([DaemonClient.connect(workspace, 'vscode').catch(() => undefined), timeout]);
  if (!client) return;
  try {
    output.info('asking the daemon to shut down');
    await Promise.race([client.request(DaemonShutdown, {}).catch(() => undefined), timeout]);
  } finally {
    client.close();
  }
}

/** The client logs its own errors to the output channel; the notifications are ours (fewer, with actions). */
class FlywheelLanguageClient extends LanguageClient {
  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, showNotification === 'force' ? false : showNotification);
  }
}

interface Attempt {
  gen: number;
  client: FlywheelLanguageClient;
  abort: AbortController;
  socket?: net.Socket;
  subscriptions: vscode.Disposable[];
  running: boolean;
  lost: boolean;
}

export class DaemonConnection implements vscode.Disposable {
  private attempt: Attempt | undefined;
  private generation = 0;
  private readonly policy = new RestartPolicy();
  private readonly connected = new Emitter<void>();
  /** Fired each time a connection is up (first start and every reconnection). */
  readonly onDidConnect = this.connected.event;
  private disposed = false;

  constructor(
    private readonly folder: vscode.WorkspaceFolder,
    private readonly cliPath: string,
    private readonly output: vscode.LogOutputChannel,
    private readonly api: DaemonApi,
    private readonly state: FlywheelState,
    private readonly actions: { restart(): void; showLogs(): void },
    /** Whether to start a daemon when none answers (the setting, and a flywheel workspace); with why not. */
    private readonly autoStart: () => { start: boolean; why: string },
  ) {}

  get workspace(): string {
    return this.folder.uri.fsPath;
  }

  /** The running client for DaemonApi, or why there is none. */
  current(): RpcClient | { down: string } {
    const a = this.attempt;
    if (a?.running && this.state.connection.kind === 'running') return a.client as unknown as RpcClient;
    const c = this.state.connection;
    return { down: c.kind === 'down' || c.kind === 'stopped' ? c.message : 'the daemon connection is starting' };
  }

  /**
   * Connects to the running daemon, or starts one when `spawn` (the autoStart setting, or the
   * user asked). Resolves once connected or failed; never throws.
   */
  async start(spawn: boolean): Promise<void> {
    const gen = ++this.generation;
    await this.drop();
    if (gen !== this.generation || this.disposed) return;
    this.state.setConnection({ kind: 'starting' });
    const attempt = this.createAttempt(gen, spawn);
    this.attempt = attempt;
    try {
      await attempt.client.start();
    } catch (err) {
      if (gen === this.generation) await this.failed(attempt, err);
      return;
    }
    if (gen !== this.generation) return;
    attempt.running = true;
    // The daemon's initialize result carries its daemon/hello facts (pid, version, metrics).
    const hello = (attempt.client.initializeResult as { daemon?: { pid?: unknown } } | undefined)?.daemon;
    this.state.setConnection({ kind: 'running', pid: typeof hello?.pid === 'number' ? hello.pid : daemonPid(this.workspace) });
    this.output.info(`connected to the daemon for ${this.workspace}`);
    this.connected.fire();
  }

  /** Asks the daemon to shut down, waits for its process to go, and starts a fresh one. */
  async restartDaemon(): Promise<void> {
    const gen = ++this.generation;
    const pid = daemonPid(this.workspace);
    const a = this.attempt;
    if (a?.running) {
      this.output.info('asking the daemon to shut down');
      const closed = new Promise<void>((r) => a.client.onDidChangeState((e) => e.newState === State.Stopped && r()));
      const timeout = new Promise<void>((r) => setTimeout(r, 5000));
      await Promise.race([a.client.sendRequest(DaemonShutdown.method, {}).catch(() => undefined), closed, timeout]);
      await this.drop();
    } else {
      await this.drop();
      // Not connected through the language client (still starting, or it gave up): ask over a
      // plain protocol connection, so a healthy daemon is not waited on and then killed.
      if (pid !== undefined) await shutdownOverSocket(this.workspace, this.output);
    }
    if (pid !== undefined && !(await waitForExit(pid, 30_000))) {
      this.output.warn(`daemon ${pid} did not stop within 30s; sending SIGTERM`);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* gone meanwhile */
      }
      await waitForExit(pid, 10_000);
    }
    if (gen !== this.generation) return;
    this.policy.reset();
    await this.start(true);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.generation++;
    await this.drop();
    this.connected.dispose();
  }

  private createAttempt(gen: number, spawn: boolean): Attempt {
    const abort = new AbortController();
    const serverOptions: ServerOptions = async (): Promise<StreamInfo> => {
      const socket = await this.connectOrSpawn(spawn, abort.signal);
      if (attempt) attempt.socket = socket;
      return { reader: socket, writer: socket, detached: true };
    };
    const s = settings();
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', language: 'jsonl', pattern: { baseUri: this.folder.uri.toString(), pattern: s.datasetGlob } }],
      workspaceFolder: this.folder,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: { protocolVersion: PROTOCOL_VERSION, client: 'vscode' },
      initializationFailedHandler: () => false,
      markdown: { isTrusted: { enabledCommands: SAMPLE_COMMANDS }, supportThemeIcons: true },
      errorHandler: {
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
        // Restarts are ours (a new client each time), so the client itself never restarts.
        closed: () => {
          this.lost(attempt, 'the connection to the daemon closed');
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
    };
    // The client reads its trace level from `${id}.trace.server`: finetune.trace.server.
    const client = new FlywheelLanguageClient('finetune', 'Fine-tune', serverOptions, clientOptions);
    const attempt: Attempt = { gen, client, abort, subscriptions: [], running: false, lost: false };
    attempt.subscriptions.push(
      this.api.attach(client as unknown as RpcClient),
      client.onDidChangeState((e) => {
        if (e.newState === State.Stopped) this.lost(attempt, 'the daemon connection stopped');
      }),
    );
    return attempt;
  }

  private async connectOrSpawn(spawn: boolean, signal: AbortSignal): Promise<net.Socket> {
    const where = locate(this.workspace);
    const socket = await tryConnect(where.socket);
    if (socket) return socket;
    if (!spawn) throw new DaemonNotRunning(`no daemon is running for this workspace (${this.autoStart().why}); run "Fine-tune: Start Daemon"`);
    this.output.info(`no daemon answers on ${where.socket}; starting one`);
    return spawnDaemon({
      workspace: this.workspace,
      cliPath: this.cliPath,
      nodePath: settings().nodePath,
      signal,
      log: (m) => this.output.info(m),
    });
  }

  /** A connection that was up went away: remake it (the daemon is started again if it died). */
  private lost(a: Attempt, reason: string): void {
    if (a.gen !== this.generation || !a.running || a.lost || this.disposed) return;
    a.lost = true;
    this.output.warn(reason);
    this.state.setConnection({ kind: 'down', message: reason });
    void this.remake(a.gen, reason);
  }

  private async failed(a: Attempt, err: unknown): Promise<void> {
    const reason = describeError(err);
    this.output.error(`could not connect to the daemon: ${reason}`);
    await this.drop();
    if (err instanceof DaemonNotRunning) {
      this.state.setConnection({ kind: 'stopped', message: err.message });
      return;
    }
    if (isProtocolMismatch(err)) {
      this.state.setConnection({ kind: 'down', message: reason });
      this.ask(`Fine-tune: the running daemon speaks another protocol version: ${reason}`);
      return;
    }
    this.state.setConnection({ kind: 'down', message: reason });
    await this.remake(a.gen, `could not connect to the daemon: ${reason}`);
  }

  private async remake(gen: number, reason: string): Promise<void> {
    if (gen !== this.generation || this.disposed) return;
    const d = this.policy.next(Date.now());
    if (!d.allowed) {
      const message = `${reason}; gave up after ${d.max} restarts in 3 minutes`;
      this.state.setConnection({ kind: 'down', message });
      this.ask(`Fine-tune: ${message}.`);
      return;
    }
    const text = `Fine-tune: ${reason}. Reconnecting (attempt ${d.attempt} of ${d.max})…`;
    this.output.warn(text);
    if (d.attempt === 1) void vscode.window.showWarningMessage(text);
    await new Promise((r) => setTimeout(r, d.delayMs));
    if (gen !== this.generation || this.disposed) return;
    await this.start(this.autoStart().start);
  }

  private ask(message: string): void {
    void vscode.window.showErrorMessage(message, 'Restart Daemon', 'Show Logs').then((pick) => {
      if (pick === 'Restart Daemon') this.actions.restart();
      else if (pick === 'Show Logs') this.actions.showLogs();
    });
  }

  /** Stops the current client (this window's session only; the daemon keeps running). */
  private async drop(): Promise<void> {
    const a = this.attempt;
    this.attempt = undefined;
    if (!a) return;
    a.subscriptions.forEach((s) => s.dispose());
    a.abort.abort();
    try {
      if (a.client.state === State.Running) await a.client.dispose(2000);
      else a.socket?.destroy();
    } catch (err) {
      this.output.debug(`stopping the language client: ${describeError(err)}`);
      a.socket?.destroy();
    }
  }
}
