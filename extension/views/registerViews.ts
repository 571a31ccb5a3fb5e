// The 'Fine-tune' view container's three views, kept fresh by the daemon's notifications
// (status/didChange, datasets/didChange, samples/didAssess, runs/didChange, models/didLand).
import * as vscode from 'vscode';
import { DatasetsDidChange, ModelsDidLand, RunsDidChange, RunsDidProgress, SamplesDidAssess, StatusDidChange } from '../../daemon/protocol';
import type { DaemonApi } from '../daemon/DaemonApi';
import type { DaemonConnection } from '../daemon/DaemonConnection';
import type { FlywheelState } from '../state/FlywheelState';
import { DatasetsTree } from './DatasetsTree';
import { ModelsTree } from './ModelsTree';
import { RunsTree } from './RunsTree';
import { debounce } from './treeItem';

export const VIEW_IDS = { datasets: 'finetune.datasets', models: 'finetune.models', runs: 'finetune.runs' } as const;

export interface Trees {
  datasets: DatasetsTree;
  models: ModelsTree;
  runs: RunsTree;
  disposables: vscode.Disposable[];
}

export function registerViews(api: DaemonApi, connection: DaemonConnection, state: FlywheelState, root: vscode.Uri): Trees {
  const datasets = new DatasetsTree(api, root);
  const models = new ModelsTree(api);
  const runs = new RunsTree(api);

  const changedDatasets = new Set<string>();
  const refreshDatasets = debounce(() => {
    const paths = [...changedDatasets];
    changedDatasets.clear();
    if (paths.length > 5) datasets.refresh();
    else paths.forEach((p) => datasets.refresh(p));
  }, 300);
  const datasetChanged = (path: string | null) => {
    if (path) changedDatasets.add(path);
    refreshDatasets();
  };
  const refreshRuns = debounce(() => runs.refresh(), 200);
  const refreshModels = debounce(() => models.refresh(), 200);
  let currentModel: string | null | undefined;
  let wasRunning = false;

  const disposables: vscode.Disposable[] = [
    vscode.window.createTreeView(VIEW_IDS.datasets, { treeDataProvider: datasets, showCollapseAll: true }),
    vscode.window.createTreeView(VIEW_IDS.models, { treeDataProvider: models }),
    vscode.window.createTreeView(VIEW_IDS.runs, { treeDataProvider: runs }),
    datasets,
    models,
    runs,
    refreshDatasets,
    refreshRuns,
    refreshModels,
    api.on(DatasetsDidChange)((p) => datasetChanged(p.path)),
    api.on(SamplesDidAssess)((p) => datasetChanged(p.path)),
    api.on(RunsDidChange)(() => refreshRuns()),
    api.on(RunsDidProgress)((p) => runs.progress(p.id, p.progress)),
    api.on(ModelsDidLand)(() => refreshModels()),
    api.on(StatusDidChange)((s) => {
      // A promotion or rollback (here, in the CLI or another window) moves the current marker.
      const current = s.currentModel?.version ?? null;
      if (currentModel !== undefined && current !== currentModel) refreshModels();
      currentModel = current;
    }),
    connection.onDidConnect(() => {
      datasets.refresh();
      models.refresh();
      runs.refresh();
    }),
    state.onDidChange(() => {
      // Empty the views when the connection goes (their welcome text says why).
      const running = state.connection.kind === 'running';
      if (wasRunning && !running) {
        datasets.refresh();
        models.refresh();
        runs.refresh();
      }
      wasRunning = running;
    }),
  ];
  return { datasets, models, runs, disposables };
}
