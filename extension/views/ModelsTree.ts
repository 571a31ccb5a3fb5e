// The Model versions view (finetune.models): models/list, the current one marked, metrics in
// the tooltip; context menu: Open Model Card, Promote; title: Roll Back.
import * as vscode from 'vscode';
import { ModelsList, type ModelVersion } from '../../daemon/protocol';
import type { DaemonApi } from '../daemon/DaemonApi';
import { modelItem } from './modelItems';
import { errorItem, treeItem } from './treeItem';

export type ModelNode = { kind: 'version'; version: ModelVersion } | { kind: 'error'; error: unknown };

export class ModelsTree implements vscode.TreeDataProvider<ModelNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly api: DaemonApi) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    if (node.kind === 'error') return errorItem(node.error, 'error:models');
    const v = node.version;
    return treeItem(modelItem(v), `model:${v.modelName ?? ''}:${v.version}`);
  }

  async getChildren(node?: ModelNode): Promise<ModelNode[]> {
    if (node || !this.api.connected) return [];
    try {
      return (await this.api.request(ModelsList, {})).map((version) => ({ kind: 'version', version }));
    } catch (error) {
      return [{ kind: 'error', error }];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
