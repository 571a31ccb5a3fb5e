// The daemon's single owner of decisions: samples are judged, stored, counted against the
// threshold, and runs are queued — sample → judge → store → threshold → run. The RPC handlers
// and the CLI only call into this.
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { readJsonlFile } from '../store/jsonlLines';
import { floorsFor, type Config } from '../config';
import { Assessor } from '../assess/Assessor';
import { AssessService } from '../assess/AssessService';
import { LatestById } from '../assess/LatestById';
import { createJudge } from '../judge/createJudge';
import { CalibrationStore } from '../judge/calibration/CalibrationStore';
import { openLabelledSamples, type LabelledSample } from '../assess/labelledSamples';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import {
  annotation as annotationSchema,
  type Annotation,
  type ModelVersion,
  type RunSummary,
  type Status,
} from '../protocol';
import { RunBook } from '../runs/RunBook';
import { countTowardsThreshold, type ThresholdCount } from '../runs/threshold';
import { DomainError } from '../errors/DomainError';
import { DatasetStore } from '../store/DatasetStore';
import type { SampleRecord } from '../store/sampleCheck';
import { sampleId } from '../store/sampleId';
import { createSnapshot } from '../store/snapshots';
import type { StoreLogger } from '../store/logger';
import { layoutFor, type Layout } from '../workspace/layout';
import { relativeToWorkspace } from '../workspace/insideWorkspace';
import { UsedSamples } from '../runs/UsedSamples';
import { FinetuningService } from '../runs/FinetuningService';
import { pickRunner } from '../runs/pickRunner';
import { ModelRegistry, modelNameFor } from '../registry/ModelRegistry';

export interface FlywheelEvents {
  status: [Status];
  runChanged: [RunSummary];
  runProgress: [string, NonNullable<RunSummary['progress']>];
  modelLanded: [ModelVersion & { promoted: boolean; reason: string }];
}

export class Flywheel extends EventEmitter<FlywheelEvents> {
  private count: ThresholdCount = { collected: 0, remaining: 0, trainable: [], fresh: [] };
  private triggering = false;
  private readonly snapshotIdCache = new Map<string, Set<string>>();
  private configError: string | null = null;
  private currentModel: ModelVersion | null = null;
  private readonly disposers: (() => void)[] = [];
  /** Runs go through here: the threshold trigger, runs/start, and the seed's finetuneModel call. */
  service!: FinetuningService;
  /** Judging and annotating samples. */
  assess!: AssessService;

  private constructor(
    readonly layout: Layout,
    private config: Config,
    readonly store: DatasetStore,
    readonly assessor: Assessor,
    readonly annotations: LatestById<Annotation>,
    /** The text of every sample a person labelled, so labels outlive edits to their lines. */
    readonly labelled: LatestById<LabelledSample>,
    /** The workspace's own judge calibrations (`finetune judge calibrate`); they win over the shipped one. */
    readonly calibrations: CalibrationStore,
    readonly runs: RunBook,
    readonly used: UsedSamples,
    readonly registry: ModelRegistry,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly metricsUrl: () => string,
  ) {
    super();
  }

  static async open(workspace: string, config: Config, log: Logger, metrics: Metrics, metricsUrl: () => string): Promise<Flywheel> {
    const layout = layoutFor(workspace, { dataset: config.dataset.path, log: config.logs.path, outputDir: config.finetuning.output_dir });
    const storeLog = storeLogger(log);
    const store = await DatasetStore.open({ datasetPath: layout.dataset, stateDir: layout.stateDir, maxLineBytes: config.dataset.max_line_bytes, logger: storeLog });
    const calibrations = await CalibrationStore.open(layout.stateDir);
    if (calibrations.problem) log.error('judge.calibration', `${calibrations.problem}; the judge uses its shipped calibration until you calibrate again`);
    const assessor = await Assessor.open(layout.stateDir, createJudge(config.judge, process.env, calibrations.calibrations()), assessorSettings(config), metrics, storeLog);
    const annotations = await LatestById.open(layout.stateDir, 'annotations.jsonl', (v) => annotationSchema.parse(v), storeLog);
    const labelled = await openLabelledSamples(layout.stateDir, storeLog);
    const runs = await RunBook.open(layout.stateDir, storeLog);
    const used = await UsedSamples.open(layout.stateDir, storeLog);
    const registry = await ModelRegistry.open(layout.models, storeLog);
    const fw = new Flywheel(layout, config, store, assessor, annotations, labelled, calibrations, runs, used, registry, log, metrics, metricsUrl);
    fw.assess = new AssessService({ layout, config: () => fw.config, store, assessor, annotations, labelled, log, metrics, verdictsChanged: () => fw.afterChange() });
    fw.service = new FinetuningService(layout, () => fw.config, runs, used, registry, () => pickRunner(fw.config.finetuning, layout.stateDir, log), log, metrics, {
      runChanged: (run) => {
        fw.emit('runChanged', run);
        fw.emit('status', fw.status());
      },
      progress: (id, progress) => fw.emit('runProgress', id, progress),
      landed: async (version) => {
        await fw.refreshModels();
        fw.emit('modelLanded', version);
      },
      samplesUsed: () => void fw.afterChange(),
    });
    await fw.refreshModels();
    const watch = store.watch(() => void fw.assess.datasetEdited());
    fw.disposers.push(() => watch.dispose());
    await fw.assess.judgeUnjudged();
    fw.recount();
    log.info('daemon.open', `dataset ${fw.rel(layout.dataset)}: ${store.size} samples, ${fw.count.collected} new high-quality, ${fw.count.remaining} to the threshold`);
    // Runs that were going when the daemon stopped are re-attached or collected, then the queue moves on.
    void fw.service
      .reconcile()
      .then(() => fw.service.kick())
      .catch((err: Error) => log.error('run.reconcile', `could not reconcile earlier runs: ${err.message}`));
    return fw;
  }

  get settings(): Config {
    return this.config;
  }

  status(): Status {
    const f = this.config.finetuning;
    return {
      workspace: this.layout.workspace,
      task: f.task,
      collected: this.count.collected,
      threshold: f.threshold,
      remaining: this.count.remaining,
      enabled: f.enabled,
      minAverage: this.config.judge.min_average,
      datasetSamples: this.store.size,
      datasetPath: this.rel(this.layout.dataset),
      invalidLines: this.store.invalidCount,
      judge: this.assessor.judgeInfo,
      currentModel: this.currentModel,
      activeRun: this.runs.active() ?? null,
      metrics: this.metricsUrl(),
      logPath: this.rel(this.layout.log),
      configError: this.configError,
    };
  }

  async applyConfig(config: Config): Promise<void> {
    this.config = config;
    this.configError = null;
    this.assessor.reconfigure(createJudge(config.judge, process.env, this.calibrations.calibrations()), assessorSettings(config));
    this.log.info('config.reload', 'config/models.yml reloaded');
    await this.assess.judgeUnjudged();
    await this.afterChange();
  }

  /** The workspace calibration was written or reverted: verdicts from now on use it. */
  async calibrationChanged(): Promise<void> {
    this.assessor.reconfigure(createJudge(this.config.judge, process.env, this.calibrations.calibrations()), assessorSettings(this.config));
    this.log.info('judge.calibration', `judge calibration: ${this.calibrations.current?.version ?? 'shipped'} (judge version ${this.assessor.judgeInfo.version})`);
    await this.assess.judgeUnjudged();
    await this.afterChange();
  }

  reportConfigError(message: string): void {
    this.configError = message;
    this.log.error('config.invalid', `${message} (keeping the last good config)`);
    this.emit('status', this.status());
  }

  /** Queues a run over a snapshot of every high-quality sample; below the threshold only when forced. */
  async startRun(opts: { force: boolean; idempotencyKey?: string; trigger?: RunSummary['trigger'] }): Promise<RunSummary> {
    if (opts.idempotencyKey) {
      const existing = this.runs.byIdempotencyKey(opts.idempotencyKey);
      if (existing) return existing;
    }
    const active = this.runs.active();
    if (active) {
      throw new DomainError('run-active', `run ${active.id} is ${active.status}; one run at a time`, 'wait for it to finish, or cancel it with "finetune cancel"', {
        run: active.id,
      });
    }
    const { collected, remaining, trainable } = this.count;
    const threshold = this.config.finetuning.threshold;
    if (remaining > 0 && !opts.force) {
      // With automatic runs off, reaching the threshold will not start one either: say so.
      const manualOnly = this.config.finetuning.enabled ? '' : '; automatic runs are off (finetuning.enabled: false), so start it yourself once enough are in';
      throw new DomainError(
        'below-threshold',
        `${collected} of ${threshold} high-quality samples collected; ${remaining} more needed before fine-tuning`,
        `add samples with "finetune ingest FILE", or run anyway with "finetune run --force"${manualOnly}`,
        { collected, threshold, remaining },
      );
    }
    if (trainable.length === 0) {
      throw new DomainError('nothing-to-train', 'there are no high-quality samples to train on', 'ingest samples first');
    }
    const snapshot = await createSnapshot(this.layout.stateDir, this.trainingSamples(trainable));
    const now = new Date();
    const run: RunSummary = {
      id: this.runs.nextId(now),
      status: 'queued',
      trigger: opts.trigger ?? (opts.force && remaining > 0 ? 'forced' : 'manual'),
      task: this.config.finetuning.task,
      baseModel: this.config.finetuning.base_model,
      createdAt: now.toISOString(),
      startedAt: null,
      endedAt: null,
      snapshot: { path: this.rel(snapshot.path), hash: snapshot.hash, count: snapshot.count },
      progress: null,
      version: null,
      error: null,
    };
    await this.service.enqueue(run, opts.idempotencyKey);
    this.log.info('run.queued', `run ${run.id} queued (${run.trigger}) on snapshot ${snapshot.hash.slice(0, 12)} with ${snapshot.count} samples`, {
      run: run.id,
      snapshot: snapshot.hash,
    });
    return run;
  }

  async cancelRun(id?: string): Promise<RunSummary> {
    const run = id ? this.runs.get(id) : this.runs.active();
    if (!run) throw new DomainError('run-not-found', id ? `no run ${id}` : 'no run is queued or running', 'see runs with "finetune runs"');
    if (run.status !== 'queued' && run.status !== 'running') return run;
    // A running trainer is stopped (it saves a checkpoint first); its runner reports the end.
    if (run.status === 'running' && (await this.service.cancel(run.id))) return this.runs.get(run.id)!;
    const cancelled: RunSummary = { ...run, status: 'cancelled', endedAt: new Date().toISOString() };
    await this.runs.save(cancelled);
    this.metrics.runsTotal.inc({ status: 'cancelled' });
    this.log.info('run.cancelled', `run ${run.id} cancelled`, { run: run.id });
    this.emit('runChanged', cancelled);
    this.emit('status', this.status());
    return cancelled;
  }

  /** Model versions, newest first; the current one marked. */
  async listModels(): Promise<ModelVersion[]> {
    return (await this.registry.list()).map((v) => ({ version: v.version, current: v.current, path: v.path, runId: v.runId, createdAt: v.createdAt, metrics: v.metrics, modelName: v.modelName, status: v.status }));
  }

  async promote(version: string, reason: string): Promise<ModelVersion> {
    await this.registry.promote(this.modelName(), version, reason);
    await this.refreshModels();
    this.log.info('model.promoted', `${this.modelName()} ${version}: ${reason}`);
    this.emit('status', this.status());
    return this.currentModel!;
  }

  async rollback(): Promise<ModelVersion> {
    await this.registry.rollback(this.modelName(), 'rolled back by hand');
    await this.refreshModels();
    this.log.info('model.rollback', `${this.modelName()} rolled back to ${this.currentModel?.version}`);
    this.emit('status', this.status());
    return this.currentModel!;
  }

  private modelName(): string {
    return modelNameFor(this.config.finetuning.base_model, this.config.finetuning.task);
  }

  private async refreshModels(): Promise<void> {
    const name = this.modelName();
    const all = await this.listModels();
    this.currentModel = all.find((v) => v.current && (v as { modelName?: string }).modelName === name) ?? null;
    this.metrics.modelVersions.set(all.length);
  }

  async close(): Promise<void> {
    for (const d of this.disposers) d();
    await this.store.close();
    await this.assessor.stored.close();
    await this.annotations.close();
    await this.labelled.close();
    await this.runs.close();
    await this.used.close();
  }

  /**
   * Recount, publish, and queue a run when the threshold is crossed. Never twice for the same
   * samples: after an automatic run failed or was cancelled, the next one needs `threshold` new
   * samples on top of those it had (a person can still start one by hand at any time).
   */
  async afterChange(): Promise<void> {
    this.recount();
    this.emit('status', this.status());
    const f = this.config.finetuning;
    if (!f.enabled || this.count.remaining > 0 || this.count.collected === 0 || this.runs.active() || this.triggering) return;
    this.triggering = true;
    try {
      const failed = this.runs.list().find((r) => r.trigger === 'threshold');
      if (failed && (failed.status === 'failed' || failed.status === 'cancelled')) {
        const had = await this.snapshotIds(failed);
        const added = this.count.fresh.filter((id) => !had.has(id)).length;
        if (added < f.threshold) return;
      }
      this.log.info('threshold.crossed', `${this.count.collected} new high-quality samples reached the threshold of ${f.threshold}; queueing a run`);
      await this.startRun({ force: false, trigger: 'threshold' });
    } finally {
      this.triggering = false;
    }
  }

  /** The sample ids a run trained on (from its immutable snapshot), cached per run. */
  private async snapshotIds(run: RunSummary): Promise<Set<string>> {
    let ids = this.snapshotIdCache.get(run.id);
    if (!ids) {
      ids = new Set();
      for await (const l of readJsonlFile(path.resolve(this.layout.workspace, run.snapshot.path))) if (l.sample) ids.add(sampleId(l.sample));
      this.snapshotIdCache.set(run.id, ids);
    }
    return ids;
  }

  private recount(): void {
    const ids = this.store.ids();
    this.count = countTowardsThreshold(
      ids,
      (id) => this.assess.stateOf(id),
      this.used.ids,
      this.config.finetuning.threshold,
    );
    this.metrics.datasetSamples.set(this.store.size);
    this.metrics.samplesCollected.set(this.count.collected);
    this.metrics.samplesToThreshold.set(this.count.remaining);
  }

  /** The samples a run trains on, with people's corrections applied. */
  private async *trainingSamples(ids: string[]): AsyncGenerator<SampleRecord> {
    const wanted = new Set(ids);
    for (let offset = 0; offset < this.store.size; offset += 1000) {
      for (const e of await this.store.entries(offset, 1000)) {
        if (!wanted.has(e.id)) continue;
        const a = this.annotations.get(e.id);
        yield a?.action === 'correct' && a.output ? { ...e.sample, output: a.output } : e.sample;
      }
    }
  }

  private rel(absolute: string): string {
    return relativeToWorkspace(this.layout.workspace, absolute);
  }
}

function assessorSettings(config: Config) {
  const task = config.finetuning.task;
  return { task, gate: { minAverage: config.judge.min_average, floors: floorsFor(config.judge, task) }, criteria: config.judge.criteria[task] ?? [] };
}

function storeLogger(log: Logger): StoreLogger {
  return {
    info: (m) => log.info('store', m),
    warn: (m) => log.warn('store', m),
    error: (m) => log.error('store', m),
  };
}
