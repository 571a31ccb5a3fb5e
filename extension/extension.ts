// Fine-tune Flywheel for VS Code: a view and controls over the workspace's daemon, which owns
// every decision. activate() only registers (cheap); the daemon connection is made right after,
// in the background.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { StatusDidChange, RunsDidChange, RunsDidProgress, StatusGet, type Status } from '../daemon/protocol';
import { registerCommands } from './commands/register';
import { commandTable } from './commands/table';
import type { ConnectionState } from './daemon/connectionState';
import { DaemonApi } from './daemon/DaemonApi';
import { DaemonConnection } from './daemon/DaemonConnection';
import { describeError } from './errors';
import { DaemonLog } from './logs/DaemonLog';
import { RunLogs } from './logs/RunLogs';
import { Notifier } from './notifications/Notifier';
import { createPanelFeed } from './runPanel/panelFeed';
import { RunPanel, RUN_PANEL_VIEW_TYPE } from './runPanel/RunPanel';
import { settings } from './settings';
import { FlywheelState } from './state/FlywheelState';
import { StatusBar } from './statusBar/StatusBar';
import type { Event } from './util/Emitter';
import { registerViews } from './views/registerViews';
import { CONFIG_FILE, pickFolder } from './workspaceFolder';

/** What the extension exports (for integration tests and other extensions). */
export interface FinetuneExtensionApi {
  connection(): ConnectionState;
  status(): Status | undefined;
  onDidChange: Event<void>;
}

let connection: DaemonConnection | undefined;

export function activate(context: vscode.ExtensionContext): FinetuneExtensionApi | undefined {
  const folder = pickFolder(vscode.workspace.workspaceFolders ?? [], (f) => fs.existsSync(path.join(f.uri.fsPath, CONFIG_FILE)));
  if (!folder) {
    registerWithoutFolder(context);
    return undefined;
  }
  const output = vscode.window.createOutputChannel('Fine-tune', { log: true });
  // A daemon is started by itself only for a flywheel workspace: a JSONL file opened elsewhere
  // connects to a running daemon but starts none (Start Daemon does, on request).
  const autoStart = () => {
    if (!settings().autoStart) return { start: false, why: 'finetune.daemon.autoStart is off' };
    if (!fs.existsSync(path.join(folder.uri.fsPath, CONFIG_FILE))) return { start: false, why: `${folder.name} has no ${CONFIG_FILE}` };
    return { start: true, why: '' };
  };
  const state = new FlywheelState();
  const api: DaemonApi = new DaemonApi(() => conn.current());
  const conn: DaemonConnection = new DaemonConnection(folder, context.asAbsolutePath(path.join('dist', 'cli.js')), output, api, state, {
    restart: () => void vscode.commands.executeCommand('finetune.daemon.restart'),
    showLogs: () => output.show(true),
  }, autoStart);
  connection = conn;
  const daemonLog = new DaemonLog(api, output);
  const trees = registerViews(api, conn, state, folder.uri);
  const runLogs = new RunLogs(api, state, folder.uri.fsPath);
  const feed = createPanelFeed({
    api,
    connection: conn,
    state,
    output,
    onLogEntries: daemonLog.onEntries,
    handlers: {
      openLogs: async ({ runId }) => (runId ? runLogs.open(runId) : output.show(true)),
      openModelCard: async (version) => void (await vscode.commands.executeCommand('finetune.models.openCard', version)),
    },
  });
  const runPanel = new RunPanel(context.extensionUri, feed.channel);
  const ctx = { folder, api, connection: conn, state, output, trees, runPanel, runLogs };

  let lastContext = '';
  const updateContext = () => {
    const key = `${state.connection.kind}|${state.activeRun ? 1 : 0}`;
    if (key === lastContext) return;
    lastContext = key;
    void vscode.commands.executeCommand('setContext', 'finetune.daemonState', state.connection.kind);
    void vscode.commands.executeCommand('setContext', 'finetune.runActive', !!state.activeRun);
  };

  context.subscriptions.push(
    output,
    daemonLog,
    ...trees.disposables,
    runLogs,
    feed.disposable,
    runPanel,
    new StatusBar(state),
    new Notifier(api),
    ...registerCommands(ctx),
    state.onDidChange(updateContext),
    api.on(StatusDidChange)((s) => state.setStatus(s)),
    api.on(RunsDidProgress)((p) => state.setProgress(p.id, p.progress)),
    api.on(RunsDidChange)((r) => state.runChanged(r)),
    api.onInvalidNotification((e) => output.warn(`ignored a ${e.method} notification that does not match the protocol: ${e.error}`)),
    conn.onDidConnect(async () => {
      try {
        state.setStatus(await api.request(StatusGet, {}));
      } catch (err) {
        output.warn(`status/get failed: ${describeError(err)}`);
      }
      await daemonLog.catchUp(state.connection.kind === 'running' ? state.connection.pid : undefined);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('finetune.datasetGlob')) void conn.start(autoStart().start);
      else if (e.affectsConfiguration('finetune.daemon.autoStart') && autoStart().start && state.connection.kind !== 'running') void conn.start(true);
    }),
  );
  updateContext();
  // Connect (or start the daemon) in the background: activation stays cheap.
  void conn.start(autoStart().start);
  return { connection: () => state.connection, status: () => state.status, onDidChange: state.onDidChange };
}

export async function deactivate(): Promise<void> {
  // Ends this window's session only; the daemon (and any run) keeps going.
  await connection?.dispose();
  connection = undefined;
}

/** No folder is open: the commands say so instead of failing; a restored panel is closed. */
function registerWithoutFolder(context: vscode.ExtensionContext): void {
  const explain = () => void vscode.window.showInformationMessage('Fine-tune: open a folder with a flywheel workspace (config/models.yml) first.');
  context.subscriptions.push(
    ...commandTable.map((c) => vscode.commands.registerCommand(c.id, explain)),
    vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, { deserializeWebviewPanel: async (panel) => panel.dispose() }),
  );
  void vscode.commands.executeCommand('setContext', 'finetune.daemonState', 'stopped');
}
