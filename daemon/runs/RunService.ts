// The whole life of a run, in one place: the count towards the threshold and the run it
// triggers, runs/start and the seed's finetuneModel(), the queue (one run at a time, one GPU run
// per host), the trainer through a runner, cancel, re-attaching after a restart, and landing the
// result as a model version through the gate. Clients hear of it through the events.
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import type { Config } from '../config';
import { DomainError } from '../errors/DomainError';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { ModelVersion, RunSummary } from '../protocol';
import { runIntegration } from '../registry/integrationHook';
import type { ModelRegistry } from '../registry/ModelRegistry';
import { readJsonlFile } from '../store/jsonlLines';
import type { SampleRecord } from '../store/sampleCheck';
import type { Layout } from '../workspace/layout';
import type { SampleState } from '../assess/effectiveVerdict';
import { finetuneResultOf, type FinetuneRequest, type FinetuneResult } from './finetuneModel';
import { gateVersion, landVersion } from './landing';
import { ModelVersions } from './ModelVersions';
import { newRun } from './newRun';
import { Registries } from './registries';
import type { RunBook } from './RunBook';
import type { Reservation, RunExit, RunHandle, RunListener, Runner, RunSpec, TrainerEvent } from './runners/types';
import { runSpecFor } from './runSpec';
import { SnapshotIds } from './snapshotIds';
import { countTowardsThreshold, enoughNewSince, type ThresholdCount } from './threshold';
import { ThresholdTally } from './ThresholdTally';
import { describeTrainerEvent, progressOf, type RunProgress } from './trainerEventText';
import { trainerListener } from './trainerListener';
import type { UsedSamples } from './UsedSamples';

export type { FinetuneRequest, FinetuneResult } from './finetuneModel';

export type LandedVersion = ModelVersion & { promoted: boolean; reason: string };

export interface RunEvents {
  runChanged: [RunSummary];
  runProgress: [string, RunProgress];
  modelLanded: [LandedVersion];
  /** The count towards the threshold, the runs or the current model changed. */
  changed: [];
}

/** The training dataset, as runs count and train on it. */
export interface TrainingSamples {
  readonly size: number;
  /** Valid lines repeating an earlier line's sample. */
  readonly duplicateLines: number;
  ids(): Iterable<string>;
  has(id: string): boolean;
  stateOf(id: string): SampleState;
  /** The same by the samples' slots (the workspace's numbering of ids), for passes over every line. */
  lineSlots(): Iterable<number>;
  slotOf(id: string): number;
  hasAt(slot: number): boolean;
  stateAt(slot: number): SampleState;
  /** The samples with these ids, people's corrections applied. */
  read(ids: Iterable<string>): AsyncIterable<SampleRecord>;
}

export interface RunDeps {
  layout: Layout;
  config(): Config;
  book: RunBook;
  used: UsedSamples;
  registry: ModelRegistry;
  samples: TrainingSamples;
  pickRunner(): Promise<Runner>;
  log: Logger;
  metrics: Metrics;
}

export class RunService extends EventEmitter<RunEvents> {
  readonly models: ModelVersions;
  private readonly tally: ThresholdTally;
  private triggering = false;
  private active: { id: string; handle?: RunHandle; cancelRequested: boolean } | undefined;
  private readonly waiters = new Map<string, (run: RunSummary) => void>();
  private readonly registries: Registries;
  private readonly snapshots: SnapshotIds;
  private lastSaved = 0;

  constructor(private readonly d: RunDeps) {
    super();
    this.models = new ModelVersions(d.registry, d.config, d.log, d.metrics);
    this.registries = new Registries(d.layout.workspace, d.registry);
    this.snapshots = new SnapshotIds(d.layout.workspace);
    this.tally = new ThresholdTally(d.samples, d.used);
  }

  /** Finds the current model and counts towards the threshold. */
  async open(): Promise<void> {
    await this.models.refresh();
    this.recount();
  }

  /** Runs that were going when the daemon stopped are re-attached or collected, then the queue moves on. */
  resume(): void {
    void this.reconcile()
      .then(() => this.kick())
      .catch((err: Error) => this.d.log.error('run.reconcile', `could not reconcile earlier runs: ${err.message}`));
  }

  /** Kept up to date as samples change: O(1). */
  get thresholdCount(): Pick<ThresholdCount, 'collected' | 'remaining'> {
    const collected = this.tally.collected;
    return { collected, remaining: Math.max(0, this.d.config().finetuning.threshold - collected) };
  }

  activeRun(): RunSummary | undefined {
    return this.d.book.active();
  }

  list(limit?: number): RunSummary[] {
    return this.d.book.list(limit);
  }

  async promote(version: string, reason: string): Promise<ModelVersion> {
    const current = await this.models.promote(version, reason);
    this.emit('changed');
    return current;
  }

  async rollback(): Promise<ModelVersion> {
    const current = await this.models.rollback();
    this.emit('changed');
    return current;
  }

  /**
   * The training samples or their verdicts changed: recount, and queue a run when the threshold
   * is reached (automatic runs on; never twice on the same samples after one failed). `ids`: the
   * only samples that were added, judged or labelled; left out, everything is counted again.
   */
  async samplesChanged(ids?: Iterable<string>): Promise<void> {
    this.recount(ids);
    this.emit('changed');
    const f = this.d.config().finetuning;
    const { collected, remaining } = this.thresholdCount;
    if (!f.enabled || remaining > 0 || collected === 0 || this.d.book.active() || this.triggering) return;
    this.triggering = true;
    try {
      const last = this.d.book.list().find((r) => r.trigger === 'threshold');
      const had = last && (last.status === 'failed' || last.status === 'cancelled') ? await this.snapshots.of(last) : undefined;
      if (had && !enoughNewSince(this.fullCount().fresh, had, f.threshold)) return;
      this.d.log.info('threshold.crossed', `${collected} new high-quality samples reached the threshold of ${f.threshold}; queueing a run`);
      await this.startRun({ force: false, trigger: 'threshold' });
    } finally {
      this.triggering = false;
    }
  }

  /** Queues a run over a snapshot of every high-quality sample; below the threshold only when forced. */
  async startRun(opts: { force: boolean; idempotencyKey?: string; trigger?: RunSummary['trigger'] }): Promise<RunSummary> {
    const { book, log } = this.d;
    if (opts.idempotencyKey) {
      const existing = book.byIdempotencyKey(opts.idempotencyKey);
      if (existing) return existing;
    }
    const active = book.active();
    if (active) {
      throw new DomainError('run-active', `run ${active.id} is ${active.status}; one run at a time`, 'wait for it to finish, or cancel it with "finetune cancel"', { run: active.id });
    }
    const f = this.d.config().finetuning;
    const { collected, remaining, trainable } = this.fullCount();
    if (remaining > 0 && !opts.force) {
      // With automatic runs off, reaching the threshold will not start one either: say so.
      const manualOnly = f.enabled ? '' : '; automatic runs are off (finetuning.enabled: false), so start it yourself once enough are in';
      throw new DomainError(
        'below-threshold',
        `${collected} of ${f.threshold} high-quality samples collected; ${remaining} more needed before fine-tuning`,
        `add samples with "finetune ingest FILE", or run anyway with "finetune run --force"${manualOnly}`,
        { collected, threshold: f.threshold, remaining },
      );
    }
    if (trainable.length === 0) throw new DomainError('nothing-to-train', 'there are no high-quality samples to train on', 'ingest samples first');
    const trigger = opts.trigger ?? (opts.force && remaining > 0 ? 'forced' : 'manual');
    const run = await newRun(this.d.layout, book, this.d.samples.read(trainable), { trigger, task: f.task, baseModel: f.base_model });
    await this.enqueue(run, opts.idempotencyKey);
    log.info('run.queued', `run ${run.id} queued (${run.trigger}) on snapshot ${run.snapshot.hash.slice(0, 12)} with ${run.snapshot.count} samples`, { run: run.id, snapshot: run.snapshot.hash });
    return run;
  }

  /**
   * The seed's call: fine-tune `baseModel` for `taskType` on the samples in `datasetPath` (taken
   * as they are: the caller already chose them) and resolve when the run has ended.
   */
  async finetuneModel(req: FinetuneRequest): Promise<FinetuneResult> {
    const source = path.resolve(this.d.layout.workspace, req.datasetPath);
    const samples = async function* () {
      for await (const l of readJsonlFile(source)) if (l.sample) yield l.sample;
    };
    const baseModel = req.baseModel ?? this.d.config().finetuning.base_model;
    const run = await newRun(this.d.layout, this.d.book, samples(), { trigger: 'manual', task: req.taskType, baseModel, outputDir: req.outputDir });
    const finished = new Promise<RunSummary>((resolve) => this.waiters.set(run.id, resolve));
    await this.enqueue(run);
    const done = await finished;
    return finetuneResultOf(done, await this.registries.of(done), this.d.log.file);
  }

  /** Cancels the active run (or `id`): a queued one at once; a running trainer saves a checkpoint and stops. */
  async cancelRun(id?: string): Promise<RunSummary> {
    const { book, log, metrics } = this.d;
    const run = id ? book.get(id) : book.active();
    if (!run) throw new DomainError('run-not-found', id ? `no run ${id}` : 'no run is queued or running', 'see runs with "finetune runs"');
    if (run.status !== 'queued' && run.status !== 'running') return run;
    if (run.status === 'running' && this.active?.id === run.id) {
      // Its runner reports the end (finish records it).
      this.active.cancelRequested = true;
      await this.active.handle?.cancel();
      return book.get(run.id)!;
    }
    const cancelled = await this.save({ ...run, status: 'cancelled', endedAt: new Date().toISOString() });
    metrics.runsTotal.inc({ status: 'cancelled' });
    log.info('run.cancelled', `run ${run.id} cancelled`, { run: run.id });
    return cancelled;
  }

  async close(): Promise<void> {
    await this.d.book.close();
    await this.d.used.close();
  }

  private recount(ids?: Iterable<string>): void {
    const { samples, metrics } = this.d;
    if (ids) this.tally.update(ids);
    else this.tally.recount();
    const { collected, remaining } = this.thresholdCount;
    metrics.datasetSamples.set(samples.size);
    metrics.samplesCollected.set(collected);
    metrics.samplesToThreshold.set(remaining);
  }

  /** Which samples a run trains on and which are new: one pass over the dataset, when a run is about to start. */
  private fullCount(): ThresholdCount {
    const { samples } = this.d;
    return countTowardsThreshold(samples.ids(), (id) => samples.stateOf(id), this.d.used, this.d.config().finetuning.threshold);
  }

  /** Queues a run (its snapshot already taken) and starts it when nothing else is running. */
  private async enqueue(run: RunSummary, idempotencyKey?: string): Promise<void> {
    await this.d.book.save(run, idempotencyKey);
    this.d.metrics.runsQueued.inc({ trigger: run.trigger });
    this.changedRun(run);
    void this.kick().catch((err: Error) => this.d.log.error('run.error', `run ${run.id}: ${err.message}`));
  }

  /** Starts the oldest queued run when nothing is running. Safe to call at any time. */
  private async kick(): Promise<void> {
    if (this.active) return;
    const queued = this.d.book.list().filter((r) => r.status === 'queued').pop();
    if (!queued) return;
    this.active = { id: queued.id, cancelRequested: false };
    try {
      await this.execute(queued);
    } finally {
      this.active = undefined;
    }
    await this.kick();
  }

  /** After a daemon restart: re-attach runs still going, collect finished ones, fail lost ones. */
  private async reconcile(): Promise<void> {
    const running = this.d.book.list().filter((r) => r.status === 'running');
    if (running.length === 0) return;
    const runner = await this.d.pickRunner();
    const quiet: RunListener = { onEvent: () => undefined, onLog: () => undefined };
    const found = await runner.reconcile(this.d.layout.workspace, (id) => {
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
      this.d.log.info('run.reattach', `run ${run.id}: ${hit.state === 'running' ? 're-attached to the running trainer' : 'collected the finished trainer'}`);
      this.active = { id: run.id, handle: hit.handle, cancelRequested: false };
      try {
        await this.finish(run, hit.exit ?? (await hit.handle!.wait()), runner);
      } finally {
        this.active = undefined;
      }
    }
  }

  private async execute(queued: RunSummary): Promise<void> {
    const { book, log } = this.d;
    let runner: Runner;
    try {
      runner = await this.d.pickRunner();
    } catch (err) {
      await this.finish(queued, { status: 'failed', exitCode: null, error: runErrorOf(err) }, undefined);
      return;
    }
    // What the runner must hold first (e.g. the host's GPU) is waited for while the run is still queued.
    const spec = (staging: string) => runSpecFor(queued, this.d.config().finetuning, this.d.layout.workspace, staging);
    const active = this.active!;
    const calledOff = () => active.cancelRequested || book.get(queued.id)?.status !== 'queued';
    let reservation: Reservation | undefined = { release: () => undefined };
    try {
      if (runner.reserve) reservation = await runner.reserve(spec(''), { say: (line) => log.info('run.waiting', line), calledOff });
    } catch (err) {
      await this.finish(queued, { status: 'failed', exitCode: null, error: runErrorOf(err) }, runner);
      return;
    }
    if (!reservation || calledOff()) {
      reservation?.release();
      return;
    }
    try {
      // Picking a runner can take minutes (a Docker image build): the run may have been cancelled meanwhile.
      if (book.get(queued.id)?.status === 'queued') await this.train(queued, runner, spec);
    } finally {
      reservation.release();
    }
  }

  private async train(queued: RunSummary, runner: Runner, specFor: (staging: string) => RunSpec): Promise<void> {
    const run = await this.save({ ...queued, status: 'running', startedAt: new Date().toISOString() });
    this.d.log.info('run.start', `run ${run.id}: training ${run.baseModel} on ${run.snapshot.count} samples with the ${runner.name} runner`);
    try {
      const staging = await (await this.registries.of(run)).resetStaging(run.id);
      this.active!.handle = await runner.start(specFor(staging), this.listenerFor(run));
      if (this.active!.cancelRequested) await this.active!.handle.cancel();
      await this.finish(run, await this.active!.handle.wait(), runner);
    } catch (err) {
      await this.finish(run, { status: 'failed', exitCode: null, error: runErrorOf(err) }, runner);
    }
  }

  private listenerFor(run: RunSummary): RunListener {
    return trainerListener(run, this.d.log, (e) => this.onTrainerEvent(run, e));
  }

  private onTrainerEvent(run: RunSummary, e: TrainerEvent): void {
    const { metrics, book, log } = this.d;
    if (e.event !== 'progress') {
      log.info(`trainer.${e.event}`, `run ${run.id}: ${describeTrainerEvent(e)}`, { run: run.id });
      return;
    }
    const progress = progressOf(e);
    if (progress.loss !== undefined) metrics.trainingLoss.set(progress.loss);
    metrics.trainingStep.set(progress.step);
    if (progress.tokensPerSecond !== undefined) metrics.trainingTokensPerSecond.set(progress.tokensPerSecond);
    this.emit('runProgress', run.id, progress);
    const current = book.get(run.id);
    // Journal progress at most every few seconds; clients get every step as a notification.
    if (current && Date.now() - this.lastSaved > 5000) {
      this.lastSaved = Date.now();
      void this.save({ ...current, progress });
    }
  }

  /** Records how a run ended, landing its version when the trainer succeeded. */
  private async finish(run: RunSummary, exit: RunExit, runner: Runner | undefined): Promise<void> {
    const { book, log, metrics } = this.d;
    const endedAt = new Date().toISOString();
    let version: string | null = null;
    let error = exit.error ?? null;
    let status = exit.status;
    if (exit.status === 'succeeded') {
      try {
        version = await this.land(run, endedAt, runner, exit);
      } catch (err) {
        status = 'failed';
        error = { message: `the model trained but could not be landed: ${(err as Error).message}`, hint: 'see logs/finetuning.log; the trained files are kept in the staging folder' };
      }
    }
    // A trainer that failed or was cancelled leaves nothing worth keeping (a landing that failed
    // keeps its files); cleaned before the run is reported ended, so an observer sees it gone.
    if (exit.status !== 'succeeded') {
      const keep = book.list().filter((r) => r.id !== run.id && (r.status === 'running' || r.status === 'succeeded'));
      await (await this.registries.of(run)).cleanupStaging(keep.map((r) => r.id)).catch((err: Error) => log.warn('run.cleanup', `run ${run.id}: staging not cleaned up: ${err.message}`));
    }
    const latest = book.get(run.id) ?? run;
    const done = await this.save({ ...latest, status, endedAt, version, error });
    runner?.collect?.(run.id);
    this.waiters.get(run.id)?.(done);
    this.waiters.delete(run.id);
    const seconds = done.startedAt ? (Date.parse(endedAt) - Date.parse(done.startedAt)) / 1000 : 0;
    metrics.runsTotal.inc({ status });
    if (done.startedAt) metrics.runDuration.observe(seconds);
    metrics.trainingLoss.set(0);
    log[status === 'failed' ? 'error' : 'info'](`run.${status}`, `run ${run.id} ${status}${version ? `: landed ${version}` : ''}${error ? `: ${error.message}${error.hint ? ` — ${error.hint}` : ''}` : ''}`, {
      run: run.id,
      seconds,
    });
  }

  /** Lands the version, starts the count afresh, puts it through the gate and tells everyone. */
  private async land(run: RunSummary, endedAt: string, runner: Runner | undefined, exit: RunExit): Promise<string> {
    const f = this.d.config().finetuning;
    const registry = await this.registries.of(run);
    const landed = await landVersion(registry, run, f, { runner: runner?.name, used: exit.used }, endedAt);
    // The samples this version learned from no longer count towards the next threshold.
    await this.d.used.mark(await this.snapshots.of(run), landed.version);
    void this.samplesChanged();
    const decision = await gateVersion(registry, landed, f.gate);
    this.d.log.info(decision.promote ? 'model.promoted' : 'model.candidate', `${landed.modelName} ${landed.version}: ${decision.reason}`, { version: landed.version });
    const shown = (await registry.list(landed.modelName)).find((v) => v.version === landed.version);
    if (shown) {
      await this.models.refresh();
      this.emit('modelLanded', { ...shown, promoted: decision.promote, reason: decision.reason });
    }
    if (decision.promote) {
      for (const r of await runIntegration(f.integration, { modelName: landed.modelName, version: landed.version, path: landed.path, metadata: landed.metadata })) {
        this.d.log[r.ok ? 'info' : 'warn']('model.integration', r.detail);
      }
    }
    return landed.version;
  }

  /** The one place a run's state is written. */
  private async save(run: RunSummary): Promise<RunSummary> {
    await this.d.book.save(run);
    this.changedRun(run);
    return run;
  }

  private changedRun(run: RunSummary): void {
    this.emit('runChanged', run);
    this.emit('changed');
  }
}

/** A run's error from what a runner threw: its message and, when it has one, its hint. */
function runErrorOf(err: unknown): { message: string; hint?: string } {
  const hint = (err as { hint?: unknown }).hint;
  return { message: err instanceof Error ? err.message : String(err), ...(typeof hint === 'string' ? { hint } : {}) };
}
