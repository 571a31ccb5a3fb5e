// A command of the table: its id and title (as contributed in package.json), whether it needs
// the daemon (then, while the daemon is down, it explains instead of failing), and what it does.
import type * as vscode from 'vscode';
import type { DaemonApi } from '../daemon/DaemonApi';
import type { DaemonConnection } from '../daemon/DaemonConnection';
import type { RunLogs } from '../logs/RunLogs';
import type { RunPanel } from '../runPanel/RunPanel';
import type { FlywheelState } from '../state/FlywheelState';
import type { DatasetsTree } from '../views/DatasetsTree';
import type { ModelsTree } from '../views/ModelsTree';
import type { RunsTree } from '../views/RunsTree';

export interface CommandContext {
  folder: vscode.WorkspaceFolder;
  api: DaemonApi;
  connection: DaemonConnection;
  state: FlywheelState;
  output: vscode.LogOutputChannel;
  trees: { datasets: DatasetsTree; models: ModelsTree; runs: RunsTree };
  runPanel: RunPanel;
  runLogs: RunLogs;
}

export interface Command {
  id: string;
  /** The title in package.json (shown as "Fine-tune: <title>" in the palette). */
  title: string;
  needsDaemon: boolean;
  run(ctx: CommandContext, ...args: unknown[]): unknown;
}
