// The Runs view (finetune.runs): runs/list with status and duration; context menu: Show Logs,
// Cancel Run (while active). Progress notifications update the running item.
import * as vscode from 'vscode';
import { RunsList, type RunSummary } from '../../daemon/protocol';
import type { DaemonApi } from '../daemon/DaemonApi';
import { runItem } from './runItems';
import { errorItem, treeItem } from './treeItem';

export type RunNode = { kind: 'run'; run: RunSummary } | { kind: 'error'; error: unknown };

export const RUNS_SHOWN = 50;

export class RunsTree implements vscode.TreeDataProvider<RunNode> {
  private readonly changed = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new Map<string, RunNode & { kind: 'run' }>();

  constructor(private readonly api: DaemonApi) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** runs/didProgress: redraw the one item (no request). */
  progress(id: string, progress: NonNullable<RunSummary['progress']>): void {
    const node = this.nodes.get(id);
    if (!node) return;
    node.run = { ...node.run, progress };
    this.changed.fire(node);
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    if (node.kind === 'error') return errorItem(node.error, 'error:runs');
    return treeItem(runItem(node.run), `run:${node.run.id}`);
  }

  async getChildren(node?: RunNode): Promise<RunNode[]> {
    if (node || !this.api.connected) return [];
    try {
      const runs = await this.api.request(RunsList, { limit: RUNS_SHOWN });
      this.nodes = new Map(runs.map((run) => [run.id, { kind: 'run', run }]));
      return [...this.nodes.values()];
    } catch (error) {
      return [{ kind: 'error', error }];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
