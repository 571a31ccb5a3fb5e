// One daemon per workspace: takes the lock, loads config, opens the Flywheel, serves JSON-RPC
// on the workspace's socket and /metrics on loopback, and relays events to every client.
import * as fs from 'node:fs';
import { ConfigError, ConfigWatcher } from './config';
import { DomainError } from './errors/DomainError';
import { DatasetFiles } from './assess/DatasetFiles';
import { Flywheel } from './core/Flywheel';
import type { RunService } from './runs/RunService';
import { Logger } from './log';
import { Metrics } from './metrics';
import { startMetricsServer } from './metricsServer';
import { effectiveConfigOf } from './config/effective';
import { ConfigDidReload, DatasetsDidChange, LogsDidAppend, ModelsDidLand, RunsDidChange, RunsDidFinish, RunsDidProgress, SamplesDidAssess, StatusDidChange, type LogEntry } from './protocol';
import { buildHandlers } from './server/handlers';
import { judgeHandlers } from './server/judgeHandlers';
import { judgeEvaluationFor } from './core/judgeEvaluation';
import { LspService } from './server/lsp/LspService';
import { acquireLock } from './shared/instanceLock';
import { SocketServer } from './server/SocketServer';
import { daemonPaths } from './shared/daemonPaths';
import { writeFileAtomic } from './store/atomicWrite';
import { layoutFor } from './workspace/layout';
import { refuseLinkedFolders } from './workspace/linkedFolders';
import { DAEMON_VERSION } from './version';
import * as path from 'node:path';

export interface DaemonInfo {
  socket: string;
  pid: number;
  metrics: string;
  workspace: string;
  version: string;
  log: string;
}

export interface RunningDaemon {
  info: DaemonInfo;
  /** For embedding the daemon in-process: the seed's finetuneModel() and the rest of the run service. */
  finetuning: RunService;
  /** Resolves when the daemon has stopped (daemon/shutdown, a signal, or stop()). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

export async function startDaemon(workspaceArg: string, opts: { echo?: NodeJS.WritableStream } = {}): Promise<RunningDaemon> {
  const workspace = path.resolve(workspaceArg);
  if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) throw new DomainError('usage', `${workspace}: not a folder`, 'pass an existing folder with --workspace');
  const watcher = new ConfigWatcher(workspace);
  if (watcher.lastError) {
    watcher.dispose();
    throw watcher.lastError;
  }
  const config = watcher.current;
  try {
    refuseLinkedFolders(layoutFor(workspace, { dataset: config.dataset.path, log: config.logs.path, outputDir: config.finetuning.output_dir }));
  } catch (err) {
    watcher.dispose();
    throw err;
  }
  const paths = daemonPaths(workspace);
  const lock = acquireLock(paths.lock);
  const log = new Logger({ file: path.resolve(workspace, config.logs.path), maxBytes: config.logs.max_bytes, keep: config.logs.keep, echo: opts.echo });
  try {
    const metrics = new Metrics();
    const metricsServer = await startMetricsServer(metrics, config.metrics.host, config.metrics.port, log);
    const flywheel = await Flywheel.open(workspace, config, log, metrics, () => metricsServer.url);
    const files = new DatasetFiles(flywheel.layout, () => flywheel.settings, flywheel.assess);
    // The daemon is also the language server for JSONL datasets (vscode-languageclient connects with initialize).
    const editors = new LspService({
      assess: flywheel.assess,
      layout: flywheel.layout,
      config: () => flywheel.settings,
      log,
      onStatus: (l) => {
        flywheel.on('status', l);
        return () => flywheel.off('status', l);
      },
    });

    let resolveStopped!: () => void;
    const stopped = new Promise<void>((r) => (resolveStopped = r));
    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        log.info('daemon.stop', 'daemon stopping');
        watcher.dispose();
        editors.dispose();
        await server.close();
        await metricsServer.close();
        await flywheel.close();
        fs.rmSync(paths.info, { force: true });
        lock.release();
        log.close();
        resolveStopped();
      })());

    const server = new SocketServer(
      paths.socket,
      [...buildHandlers({
        status: () => flywheel.status(),
        config: () => ({ config: effectiveConfigOf(flywheel.settings), error: flywheel.lastConfigError }),
        assess: flywheel.assess,
        runs: flywheel.runs,
        files,
        log,
        shutdown: () => void stop(),
      }), ...judgeHandlers(judgeEvaluationFor(flywheel)), ...editors.handlers()],
      () => ({ daemonVersion: DAEMON_VERSION, workspace, pid: process.pid, metrics: metricsServer.url }),
      log,
      editors,
    );
    relayEvents(flywheel, server, log);
    watcher.onDidChange((c) => {
      void flywheel.applyConfig(c);
      server.broadcast(ConfigDidReload, { config: effectiveConfigOf(c), error: null });
    });
    watcher.onDidFail((e: ConfigError) => {
      flywheel.reportConfigError(e.toString());
      server.broadcast(ConfigDidReload, { config: effectiveConfigOf(flywheel.settings), error: e.toString() });
    });
    await server.listen();

    const info: DaemonInfo = { socket: paths.socket, pid: process.pid, metrics: metricsServer.url, workspace, version: DAEMON_VERSION, log: log.file };
    await writeFileAtomic(paths.info, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
    log.info('daemon.start', `daemon ${DAEMON_VERSION} serving ${workspace} on ${paths.socket}; metrics at ${metricsServer.url}`);
    return { info, stopped, stop, finetuning: flywheel.runs };
  } catch (err) {
    watcher.dispose();
    log.error('daemon.start', `daemon failed to start: ${(err as Error).message}`);
    log.close();
    lock.release();
    throw err;
  }
}

function relayEvents(fw: Flywheel, server: SocketServer, log: Logger): void {
  fw.on('status', (s) => server.broadcast(StatusDidChange, s));
  fw.assess.on('datasetChanged', (p) => server.broadcast(DatasetsDidChange, { path: p }));
  fw.assess.on('assessed', (p, a) => server.broadcast(SamplesDidAssess, { path: p, assessment: a }));
  fw.runs.on('runProgress', (id, progress) => server.broadcast(RunsDidProgress, { id, progress }));
  fw.runs.on('modelLanded', (v) => server.broadcast(ModelsDidLand, v));
  fw.runs.on('runChanged', (r) => {
    server.broadcast(RunsDidChange, r);
    if (r.status === 'succeeded' || r.status === 'failed' || r.status === 'cancelled') server.broadcast(RunsDidFinish, r);
  });
  // Log lines reach clients in batches, not one notification each.
  let pending: LogEntry[] = [];
  log.onEntry((e) => {
    if (pending.push(e) === 1) setTimeout(() => {
      server.broadcast(LogsDidAppend, { entries: pending });
      pending = [];
    }, 100).unref();
  });
}
