// Where a workspace keeps its data, state, logs and models; all derived from config paths.
import * as path from 'node:path';

export interface Layout {
  workspace: string;
  /** The training dataset, data/finetuning_dataset.jsonl by default. */
  dataset: string;
  /** The daemon's own journals beside the dataset: assessments, annotations, runs, snapshots. */
  stateDir: string;
  log: string;
  /** Landed model versions live under here (finetuning.output_dir). */
  models: string;
}

export function layoutFor(workspace: string, paths: { dataset: string; log: string; outputDir: string }): Layout {
  const dataset = path.resolve(workspace, paths.dataset);
  return {
    workspace: path.resolve(workspace),
    dataset,
    stateDir: path.join(path.dirname(dataset), '.flywheel'),
    log: path.resolve(workspace, paths.log),
    models: path.resolve(workspace, paths.outputDir),
  };
}
