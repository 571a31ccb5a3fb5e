// Turns queued runs into training jobs: picks the runner, starts the trainer on the run's
// snapshot, streams its progress to clients and metrics, and lands the result as a model
// version (gate → promote or candidate → integration hook). The threshold trigger, the RPC
// request, the CLI and the extension all start runs through here.
import * as path from 'node:path';
import { parseByteSize, type Config } from '../config';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { ModelVersion, RunSummary } from '../protocol';
import type { TaskType } from '../judge/types';
import type { RunBook } from './RunBook';
import { hyperparameters, trainerArgs } from './trainerArgs';
import type { RunExit, RunHandle, RunListener, Runner, TrainerEvent } from './runners/types';
import { readTrainerLine } from './runners/trainerEvents';
import { describeTrainerEvent, progressOf } from './trainerEventText';
import type { Layout } from '../workspace/layout';
import { ModelRegistry, modelNameFor } from '../registry/ModelRegistry';
import { createSnapshot } from '../store/snapshots';
import { acquireGpu, hostHasGpu } from './hostGpuLock';
import { runIntegration } from '../registry/integrationHook';
import type { UsedSamples } from './UsedSamples';
import { sampleId } from '../store/sampleId';
import { readJsonlFile } from '../store/jsonlLines';

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

export interface ServiceEvents {
  runChanged(run: RunSummary): void;
  progress(id: string, progress: NonNullable<RunSummary['progress']>): void;
  landed(version: ModelVersion & { promoted: boolean; reason: string }): Promise<void>;
  /** The samples a landed version used no longer count: the threshold starts afresh. */
  samplesUsed(): void;
}

export class FinetuningService {
  private active: { id: string; handle?: RunHandle; cancelRequested: boolean } | undefined;
  private readonly waiters = new Map<string, (run: RunSummary) => void>();
  private readonly registries = new Map<string, ModelRegistry>();
  private lastSaved = 0;

  constructor(
    private readonly layout: Layout,
    private config: () => Config,
    private readonly runs: RunBook,
    private readonly used: UsedSamples,
    private readonly registry: ModelRegistry,
    private readonly pickRunner: () => Promise<Runner>,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly events: ServiceEvents,
  ) {}

  /** Queues a run (its snapshot already taken) and starts it when nothing else is running. */
  async enqueue(run: RunSummary, idempotencyKey?: string): Promise<RunSummary> {
    await this.runs.save(run, idempotencyKey);
    this.metrics.runsQueued.inc({ trigger: run.trigger });
    this.events.runChanged(run);
    void this.kick().catch((err: Error) => this.log.error('run.error', `run ${run.id}: ${err.message}`));
    return run;
  }

  /**
   * The seed's call: fine-tune `baseModel` for `taskType` on the samples in `datasetPath` (taken
   * as they are: the caller already chose them) and resolve when the run has ended.
   */
  async finetuneModel(req: FinetuneRequest): Promise<FinetuneResult> {
    const source = path.resolve(this.layout.workspace, req.datasetPath);
    const samples = async function* () {
      for await (const l of readJsonlFile(source)) if (l.sample) yield l.sample;
    };
    const snapshot = await createSnapshot(this.layout.stateDir, samples());
    const now = new Date();
    const run: RunSummary = {
      id: this.runs.nextId(now),
      status: 'queued',
      trigger: 'manual',
      task: req.taskType,
      baseModel: req.baseModel ?? this.config().finetuning.base_model,
      createdAt: now.toISOString(),
      startedAt: null,
      endedAt: null,
      snapshot: { path: path.relative(this.layout.workspace, snapshot.path), hash: snapshot.hash, count: snapshot.count },
      progress: null,
      version: null,
      error: null,
      ...(req.outputDir ? { outputDir: req.outputDir } : {}),
    };
    const finished = new Promise<RunSummary>((resolve) => this.waiters.set(run.id, resolve));
    await this.enqueue(run);
    const done = await finished;
    const registry = await this.registryFor(done);
    const landed = done.version ? (await registry.list()).find((v) => v.runId === done.id) : undefined;
    return {
      id: done.id,
      status: done.status,
      version: done.version,
      path: landed?.path ?? null,
      metrics: landed?.metrics ?? null,
      durationSeconds: done.startedAt && done.endedAt ? (Date.parse(done.endedAt) - Date.parse(done.startedAt)) / 1000 : 0,
      logsPath: this.log.file,
      error: done.error,
    };
  }

  /** Starts the oldest queued run when nothing is running. Safe to call at any time. */
  async kick(): Promise<void> {
    if (this.active) return;
    const queued = this.runs.list().filter((r) => r.status === 'queued').pop();
    if (!queued) return;
    this.active = { id: queued.id, cancelRequested: false };
    try {
      await this.execute(queued);
    } finally {
      this.active = undefined;
    }
    await this.kick();
  }

  /** Stops a running run (a queued one is cancelled by the caller before it starts). */
  async cancel(id: string): Promise<boolean> {
    if (this.active?.id !== id) return false;
    this.active.cancelRequested = true;
    await this.active.handle?.cancel();
    return true;
  }

  /** After a daemon restart: re-attach runs still going, collect finished ones, fail lost ones. */
  async reconcile(): Promise<void> {
    const running = this.runs.list().filter((r) => r.status === 'running');
    if (running.length === 0) return;
    const runner = await this.pickRunner();
    const quiet: RunListener = { onEvent: () => undefined, onLog: () => undefined };
    const found = await runner.reconcile(this.layout.workspace, (id) => {
      const run = running.find((r) => r.id === id);
      return run ? this.listenerFor(run) : quiet;
    });
    // Leftovers of runs whose end is already recorded are only collected.
    for (const f of found) if (!running.some((r) => r.id === f.runId)) runner.collect?.(f.runId);
    for (const run of running) {
      const hit = found.find((f) => f.runId === run.id);
      if (!hit) {
        await this.finish(run, { status: 'failed', exitCode: null, error: { message: `the run's ${runner.name} trainer is gone (the daemon stopped while it ran)`, hint: 'start it again with "finetune run"' } }, runner);
        continue;
      }
      this.log.info('run.reattach', `run ${run.id}: ${hit.state === 'running' ? 're-attached to the running trainer' : 'collected the finished trainer'}`);
      this.active = { id: run.id, handle: hit.handle, cancelRequested: false };
      try {
        await this.finish(run, hit.exit ?? (await hit.handle!.wait()), runner);
      } finally {
        this.active = undefined;
      }
    }
  }

  private async execute(queued: RunSummary): Promise<void> {
    const f = this.config().finetuning;
    let runner: Runner;
    try {
      runner = await this.pickRunner();
    } catch (err) {
      await this.finish(queued, { status: 'failed', exitCode: null, error: runErrorOf(err) }, undefined);
      return;
    }
    // One GPU run at a time on this host, across workspaces: wait (still queued) for the GPU.
    let releaseGpu: (() => void) | undefined;
    if (f.gpus !== 'none' && hostHasGpu()) {
      const active = this.active!;
      const runs = this.runs;
      releaseGpu = await acquireGpu(
        { pid: process.pid, workspace: this.layout.workspace, runId: queued.id },
        (h) => this.log.info('run.waiting', `run ${queued.id} waits for the GPU: run ${h.runId} of ${h.workspace} (pid ${h.pid}) is using it`),
        {
          get cancelled() {
            return active.cancelRequested || runs.get(queued.id)?.status !== 'queued';
          },
        },
      );
      if (!releaseGpu || this.runs.get(queued.id)?.status !== 'queued') {
        releaseGpu?.();
        return;
      }
    }
    try {
      await this.train(queued, runner);
    } finally {
      releaseGpu?.();
    }
  }

  private async train(queued: RunSummary, runner: Runner): Promise<void> {
    const f = this.config().finetuning;
    const run = await this.save({ ...queued, status: 'running', startedAt: new Date().toISOString() });
    const snapshotPath = path.resolve(this.layout.workspace, run.snapshot.path);
    this.log.info('run.start', `run ${run.id}: training ${run.baseModel} on ${run.snapshot.count} samples with the ${runner.name} runner`);
    try {
      const staging = await (await this.registryFor(run)).resetStaging(run.id);
      this.active!.handle = await runner.start(
        {
          runId: run.id,
          workspace: this.layout.workspace,
          dataDir: path.dirname(snapshotPath),
          snapshotFile: path.basename(snapshotPath),
          outputDir: staging,
          trainerArgs: trainerArgs(f, { id: run.id, task: run.task, baseModel: run.baseModel, snapshotFile: path.basename(snapshotPath), snapshotHash: run.snapshot.hash }),
          env: passthroughEnv(),
          gpus: f.gpus,
          cpuFallback: f.docker.cpu_fallback,
          memoryBytes: parseByteSize(f.docker.memory),
          shmBytes: parseByteSize(f.docker.shm_size),
        },
        this.listenerFor(run),
      );
      if (this.active!.cancelRequested) await this.active!.handle.cancel();
      await this.finish(run, await this.active!.handle.wait(), runner);
    } catch (err) {
      await this.finish(run, { status: 'failed', exitCode: null, error: runErrorOf(err) }, runner);
    }
  }

  private listenerFor(run: RunSummary): RunListener {
    return {
      onEvent: (e) => this.onTrainerEvent(run, e),
      onLog: (line, stream) => {
        if (!line.trim()) return;
        if (stream === 'stdout' && line.startsWith('{')) {
          // Events reach onEvent; a JSON line that is no event of the schema is only reported.
          const read = readTrainerLine(line);
          if (read && 'problem' in read) this.log.warn('trainer.event', `run ${run.id}: ignored a trainer event that does not match the schema (${read.problem}): ${line}`, { run: run.id });
          return;
        }
        this.log.debug('trainer.output', line, { run: run.id, stream });
      },
    };
  }

  private onTrainerEvent(run: RunSummary, e: TrainerEvent): void {
    if (e.event === 'progress') {
      const progress = progressOf(e);
      if (progress.loss !== undefined) this.metrics.trainingLoss.set(progress.loss);
      this.metrics.trainingStep.set(progress.step);
      if (progress.tokensPerSecond !== undefined) this.metrics.trainingTokensPerSecond.set(progress.tokensPerSecond);
      this.events.progress(run.id, progress);
      const current = this.runs.get(run.id);
      // Journal progress at most every few seconds; clients get every step as a notification.
      if (current && Date.now() - this.lastSaved > 5000) {
        this.lastSaved = Date.now();
        void this.save({ ...current, progress });
      }
      return;
    }
    this.log.info(`trainer.${e.event}`, `run ${run.id}: ${describeTrainerEvent(e)}`, { run: run.id });
  }

  private async finish(run: RunSummary, exit: RunExit, runner: Runner | undefined): Promise<void> {
    const endedAt = new Date().toISOString();
    let version: string | null = null;
    let error = exit.error ?? null;
    let status = exit.status;
    if (exit.status === 'succeeded') {
      try {
        version = await this.land(run, endedAt, runner);
      } catch (err) {
        status = 'failed';
        error = { message: `the model trained but could not be landed: ${(err as Error).message}`, hint: 'see logs/finetuning.log; the trained files are kept in the staging folder' };
      }
    }
    // A trainer that failed or was cancelled leaves nothing worth keeping (a landing that failed
    // keeps its files); cleaned before the run is reported ended, so an observer sees it gone.
    if (exit.status !== 'succeeded') {
      const keep = this.runs.list().filter((r) => r.id !== run.id && (r.status === 'running' || r.status === 'succeeded'));
      await (await this.registryFor(run)).cleanupStaging(keep.map((r) => r.id)).catch((err: Error) => this.log.warn('run.cleanup', `run ${run.id}: staging not cleaned up: ${err.message}`));
    }
    const latest = this.runs.get(run.id) ?? run;
    const done = await this.save({ ...latest, status, endedAt, version, error });
    runner?.collect?.(run.id);
    this.waiters.get(run.id)?.(done);
    this.waiters.delete(run.id);
    const seconds = done.startedAt ? (Date.parse(endedAt) - Date.parse(done.startedAt)) / 1000 : 0;
    this.metrics.runsTotal.inc({ status });
    if (done.startedAt) this.metrics.runDuration.observe(seconds);
    this.metrics.trainingLoss.set(0);
    this.log[status === 'failed' ? 'error' : 'info'](`run.${status}`, `run ${run.id} ${status}${version ? `: landed ${version}` : ''}${error ? `: ${error.message}${error.hint ? ` — ${error.hint}` : ''}` : ''}`, {
      run: run.id,
      seconds,
    });

  }

  private async land(run: RunSummary, endedAt: string, runner: Runner | undefined): Promise<string> {
    const f = this.config().finetuning;
    const registry = await this.registryFor(run);
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
        hyperparameters: hyperparameters(f),
        image: runner?.name === 'docker' ? { id: '', name: f.docker.image } : null,
        runner: runner?.name ?? 'unknown',
        startedAt: run.startedAt ?? endedAt,
        endedAt,
        durationSeconds: run.startedAt ? (Date.parse(endedAt) - Date.parse(run.startedAt)) / 1000 : 0,
        parent,
      },
    });
    const version = landed.metadata.version;
    // The samples this version learned from no longer count towards the next threshold.
    await this.used.mark(await snapshotIds(path.resolve(this.layout.workspace, run.snapshot.path)), version);
    this.events.samplesUsed();
    const decision = await registry.evaluate(landed.metadata, f.gate);
    if (decision.promote) await registry.promote(modelName, version, decision.reason);
    this.log.info(decision.promote ? 'model.promoted' : 'model.candidate', `${modelName} ${version}: ${decision.reason}`, { version });
    const shown = (await registry.list(modelName)).find((v) => v.version === version);
    if (shown) await this.events.landed({ ...shown, promoted: decision.promote, reason: decision.reason });
    if (decision.promote) {
      for (const r of await runIntegration(f.integration, { modelName, version, path: landed.path, metadata: landed.metadata })) {
        this.log[r.ok ? 'info' : 'warn']('model.integration', r.detail);
      }
    }
    return version;
  }

  private async save(run: RunSummary): Promise<RunSummary> {
    await this.runs.save(run);
    this.events.runChanged(run);
    return run;
  }

  /** The workspace's registry, or the one under a run's own output folder (finetuneModel's outputDir). */
  private async registryFor(run: RunSummary): Promise<ModelRegistry> {
    if (!run.outputDir) return this.registry;
    const dir = path.resolve(this.layout.workspace, run.outputDir);
    if (dir === this.registry.outputDir) return this.registry;
    let r = this.registries.get(dir);
    if (!r) this.registries.set(dir, (r = await ModelRegistry.open(dir)));
    return r;
  }
}

async function snapshotIds(file: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const l of readJsonlFile(file)) if (l.sample) ids.push(sampleId(l.sample));
  return ids;
}


/** A run's error from what a runner threw: its message and, when it has one, its hint. */
function runErrorOf(err: unknown): { message: string; hint?: string } {
  const hint = (err as { hint?: unknown }).hint;
  return { message: err instanceof Error ? err.message : String(err), ...(typeof hint === 'string' ? { hint } : {}) };
}

/** Hub credentials and offline switches reach the trainer; nothing else of the daemon's environment. */
function passthroughEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['HF_TOKEN', 'HF_HUB_OFFLINE', 'HF_DATASETS_OFFLINE', 'HF_ENDPOINT', 'TRANSFORMERS_OFFLINE']) if (process.env[k]) out[k] = process.env[k]!;
  return out;
}
