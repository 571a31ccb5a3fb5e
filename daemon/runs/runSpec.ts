// What a runner is given to start a run's trainer: the snapshot, the staging folder, the
// trainer's flags and the resources the run asks for, from config/models.yml. Nothing here is any
// one engine's: each runner reads its own section (finetuning.docker.*) itself.
import * as path from 'node:path';
import type { Config } from '../config';
import type { RunSummary } from '../protocol';
import type { Resources, RunSpec } from './runners/types';
import { trainerArgs } from './trainerArgs';

export function runSpecFor(run: RunSummary, f: Config['finetuning'], workspace: string, staging: string): RunSpec {
  const snapshotPath = path.resolve(workspace, run.snapshot.path);
  const snapshotFile = path.basename(snapshotPath);
  return {
    runId: run.id,
    workspace,
    dataDir: path.dirname(snapshotPath),
    snapshotFile,
    outputDir: staging,
    trainerArgs: trainerArgs(f, { id: run.id, task: run.task, baseModel: run.baseModel, snapshotFile, snapshotHash: run.snapshot.hash }),
    env: passthroughEnv(),
    resources: resourcesOf(f),
  };
}

export function resourcesOf(f: Config['finetuning']): Resources {
  return { gpusPerNode: f.gpus, nodes: 1, processes: f.distributed.processes, strategy: f.distributed.strategy };
}

/** Hub credentials and offline switches reach the trainer; nothing else of the daemon's environment. */
function passthroughEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['HF_TOKEN', 'HF_HUB_OFFLINE', 'HF_DATASETS_OFFLINE', 'HF_ENDPOINT', 'TRANSFORMERS_OFFLINE']) if (process.env[k]) out[k] = process.env[k]!;
  return out;
}
