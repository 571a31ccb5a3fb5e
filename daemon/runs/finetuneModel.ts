// The seed's call, finetuneModel(): what it is asked and what it answers once the run has ended.
import type { TaskType } from '../judge/types';
import type { RunSummary } from '../protocol';
import type { ModelRegistry } from '../registry/ModelRegistry';

export interface FinetuneRequest {
  taskType: TaskType;
  /** A JSONL file of {input, output} lines, relative to the workspace. */
  datasetPath: string;
  /** Default: finetuning.base_model. */
  baseModel?: string;
  /** Where versions land, relative to the workspace. Default: finetuning.output_dir. */
  outputDir?: string;
}

export interface FinetuneResult {
  id: string;
  status: RunSummary['status'];
  version: string | null;
  /** The landed version's folder. */
  path: string | null;
  metrics: Record<string, unknown> | null;
  durationSeconds: number;
  logsPath: string;
  error: RunSummary['error'];
}

export async function finetuneResultOf(done: RunSummary, registry: ModelRegistry, logsPath: string): Promise<FinetuneResult> {
  const landed = done.version ? (await registry.list()).find((v) => v.runId === done.id) : undefined;
  return {
    id: done.id,
    status: done.status,
    version: done.version,
    path: landed?.path ?? null,
    metrics: landed?.metrics ?? null,
    durationSeconds: done.startedAt && done.endedAt ? (Date.parse(done.endedAt) - Date.parse(done.startedAt)) / 1000 : 0,
    logsPath,
    error: done.error,
  };
}
