// The Datasets view (finetune.datasets): each JSONL dataset with its counts (datasets/list), its
// samples paged by samples/list with verdict icons; clicking a sample opens its line.
import * as vscode from 'vscode';
import { DatasetsList, SamplesList, type DatasetInfo, type SampleFilter, type SampleRow } from '../../daemon/protocol';
import type { DaemonApi } from '../daemon/DaemonApi';
import { datasetItem, loadMoreItem, sampleItem } from './datasetItems';
import { describeFilter } from './sampleFilterChoices';
import { errorItem, treeItem } from './treeItem';

export const PAGE_SIZE = 100;

export type DatasetNode =
  | { kind: 'dataset'; info: DatasetInfo }
  | { kind: 'sample'; dataset: string; row: SampleRow }
  | { kind: 'more'; dataset: string; loaded: number; total: number }
  | { kind: 'error'; id: string; error: unknown };

interface Pages {
  rows: SampleRow[];
  /** Lines in the file (samples/list pages a file by line; blank or invalid lines have no row). */
  total: number;
  /** The line offset of the next page. */
  next: number;
  stale: boolean;
}

export class DatasetsTree implements vscode.TreeDataProvider<DatasetNode> {
  private readonly changed = new vscode.EventEmitter<DatasetNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly pages = new Map<string, Pages>();
  private shown: SampleFilter | undefined;

  constructor(
    private readonly api: DaemonApi,
    private readonly root: vscode.Uri,
  ) {}

  /** Everything again (a reconnection), or one dataset's counts and samples (it changed). */
  refresh(path?: string): void {
    if (path === undefined) this.pages.forEach((p) => (p.stale = true));
    else {
      const p = this.pages.get(path);
      if (p) p.stale = true;
    }
    // The counts live on the top level, so the top level is asked again; expanded datasets keep
    // their state (stable ids) and re-read their loaded pages.
    this.changed.fire(undefined);
  }

  /** Which samples are listed (undefined: all, in file order). */
  get filter(): SampleFilter | undefined {
    return this.shown;
  }

  setFilter(filter: SampleFilter | undefined): void {
    this.shown = filter;
    this.pages.clear();
    this.changed.fire(undefined);
  }

  /** The criteria scored in the samples listed so far, to sort by. */
  criteria(): string[] {
    const names = new Set<string>();
    for (const p of this.pages.values()) for (const r of p.rows) for (const c of Object.keys(r.assessment?.scores ?? {})) names.add(c);
    return [...names].sort();
  }

  async loadMore(dataset: string): Promise<void> {
    const p = this.pages.get(dataset);
    if (!p) return;
    const page = await this.api.request(SamplesList, { path: dataset, offset: p.next, limit: PAGE_SIZE, filter: this.shown });
    p.rows.push(...page.items);
    p.total = page.total;
    p.next = Math.min(page.total, p.next + PAGE_SIZE);
    this.changed.fire(undefined);
  }

  uriOf(dataset: string): vscode.Uri {
    return dataset.startsWith('/') ? vscode.Uri.file(dataset) : vscode.Uri.joinPath(this.root, dataset);
  }

  getTreeItem(node: DatasetNode): vscode.TreeItem {
    switch (node.kind) {
      case 'dataset': {
        const item = treeItem(datasetItem(node.info), `dataset:${node.info.path}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.resourceUri = this.uriOf(node.info.path);
        const shown = describeFilter(this.shown);
        if (shown) item.description = `${item.description ?? ''} · showing ${shown}`;
        return item;
      }
      case 'sample': {
        const item = treeItem(sampleItem(node.row), `sample:${node.dataset}:${node.row.line}`);
        const line = Math.max(0, node.row.line - 1);
        item.command = {
          command: 'vscode.open',
          title: 'Open Sample',
          arguments: [this.uriOf(node.dataset), { selection: new vscode.Range(line, 0, line, 0), preview: true }],
        };
        return item;
      }
      case 'more': {
        const item = treeItem(loadMoreItem(node.loaded, node.total, this.shown !== undefined), `more:${node.dataset}`);
        item.command = { command: 'finetune.datasets.loadMore', title: 'Load More Samples', arguments: [node.dataset] };
        return item;
      }
      case 'error':
        return errorItem(node.error, node.id);
    }
  }

  async getChildren(node?: DatasetNode): Promise<DatasetNode[]> {
    if (!this.api.connected) return [];
    if (!node) {
      try {
        const list = await this.api.request(DatasetsList, {});
        return list.map((info) => ({ kind: 'dataset', info }));
      } catch (error) {
        return [{ kind: 'error', id: 'error:datasets', error }];
      }
    }
    if (node.kind !== 'dataset') return [];
    const dataset = node.info.path;
    try {
      let p = this.pages.get(dataset);
      if (!p || p.stale) {
        const limit = Math.min(1000, Math.max(PAGE_SIZE, p?.next ?? 0));
        const page = await this.api.request(SamplesList, { path: dataset, offset: 0, limit, filter: this.shown });
        p = { rows: page.items, total: page.total, next: Math.min(page.total, limit), stale: false };
        this.pages.set(dataset, p);
      }
      const children: DatasetNode[] = p.rows.map((row) => ({ kind: 'sample', dataset, row }));
      if (p.next < p.total) children.push({ kind: 'more', dataset, loaded: p.next, total: p.total });
      return children;
    } catch (error) {
      return [{ kind: 'error', id: `error:${dataset}`, error }];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
