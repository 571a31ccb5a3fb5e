// A trained run becomes a model version: landed from its staging folder with its metadata, then
// put through the gate (promoted when no worse than the current version, else a candidate).
import type { Config } from '../config';
import type { RunSummary } from '../protocol';
import { modelNameFor, type ModelRegistry } from '../registry/ModelRegistry';
import type { VersionMetadata } from '../registry/types';
import type { EngineRecord } from './runners/types';
import { hyperparameters } from './trainerArgs';

export interface Landed {
  modelName: string;
  version: string;
  path: string;
  metadata: VersionMetadata;
}

/** How the run ran: the runner's name and what it used (processes, the engine's own record). */
export interface RanOn {
  runner: string | undefined;
  used: EngineRecord | undefined;
}

export async function landVersion(registry: ModelRegistry, run: RunSummary, f: Config['finetuning'], ran: RanOn, endedAt: string): Promise<Landed> {
  const { processes = 1, nodes = 1, image, ...engine } = ran.used ?? {};
  // A runner's own record (e.g. ray: {address, job_id}) also sits under its name at the top level,
  // where scripts outside the daemon read it (issue 11's contract).
  const own = ran.runner && typeof engine[ran.runner] === 'object' && engine[ran.runner] !== null ? { [ran.runner]: engine[ran.runner] } : {};
  const modelName = modelNameFor(run.baseModel, run.task);
  const parent = (await registry.current(modelName))?.version ?? null;
  const landed = await registry.land({
    modelName,
    stagingDir: registry.stagingPathFor(run.id),
    metadata: {
      runId: run.id,
      baseModel: run.baseModel,
      ...(f.base_models[run.baseModel] ? { baseModelResolved: f.base_models[run.baseModel] } : {}),
      task: run.task,
      dataset: { snapshot: run.snapshot.path, hash: run.snapshot.hash, count: run.snapshot.count },
      hyperparameters: { ...hyperparameters(f), effective_batch_size: f.batch_size * f.gradient_accumulation_steps * processes * nodes },
      image: isImage(image) ? image : null,
      runner: ran.runner ?? 'unknown',
      processes,
      nodes,
      ...(Object.keys(engine).length ? { engine } : {}),
      ...own,
      startedAt: run.startedAt ?? endedAt,
      endedAt,
      durationSeconds: run.startedAt ? (Date.parse(endedAt) - Date.parse(run.startedAt)) / 1000 : 0,
      parent,
    },
  });
  return { modelName, version: landed.metadata.version, path: landed.path, metadata: landed.metadata };
}

/** The gate: promote the landed version, or keep it as a candidate; the reason says why. */
export async function gateVersion(registry: ModelRegistry, landed: Landed, gate: Config['finetuning']['gate']): Promise<{ promote: boolean; reason: string }> {
  const decision = await registry.evaluate(landed.metadata, gate);
  if (decision.promote) await registry.promote(landed.modelName, landed.version, decision.reason);
  return { promote: decision.promote, reason: decision.reason };
}

function isImage(v: unknown): v is { id: string; name: string } {
  return !!v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' && typeof (v as { name?: unknown }).name === 'string';
}
