// What the run service needs from the model registry (daemon/registry), named here so the
// service's dependencies read in one place.
import type { Config } from '../config';
import type { ModelVersion } from '../protocol';

export interface LandRequest {
  modelName: string;
  stagingDir: string;
  metadata: {
    runId: string;
    baseModel: string;
    task: string;
    dataset: { snapshot: string; hash: string; count: number };
    hyperparameters: Record<string, unknown>;
    image: { id: string; name: string } | null;
    runner: string;
    metrics: Record<string, unknown>;
    startedAt: string;
    endedAt: string;
    durationSeconds: number;
    parent: string | null;
  };
}

export interface Registry {
  modelNameFor(baseModel: string, task: string): string;
  current(modelName: string): { version: string } | undefined;
  land(req: LandRequest): Promise<{ version: string; path: string; metadata: LandRequest['metadata'] & { version: string } }>;
  evaluate(metadata: LandRequest['metadata'] & { version: string }, gate: Config['finetuning']['gate']): { promote: boolean; reason: string };
  promote(modelName: string, version: string, reason: string): Promise<void>;
  list(modelName?: string): ModelVersion[];
  integrate(config: Config['finetuning']['integration'], event: { modelName: string; version: string; path: string; metadata: unknown }): Promise<{ ok: boolean; detail: string }[]>;
}
