// One workspace's daemon, wired: opens its stores, gives them to the services that own the
// decisions — assess/ (judging, annotations) and runs/ (threshold, runs, versions) — connects
// them (new verdicts → the threshold), and answers what spans both: the status and the config.
import { EventEmitter } from 'node:events';
import { floorsFor, type Config } from '../config';
import { AssessService } from '../assess/AssessService';
import { Assessor } from '../assess/Assessor';
import { openLabelledSamples, type LabelledSample } from '../assess/labelledSamples';
import { LatestById } from '../assess/LatestById';
import { TrainingSet } from '../assess/TrainingSet';
import { CalibrationStore } from '../judge/calibration/CalibrationStore';
import { createJudge } from '../judge/createJudge';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import { annotation as annotationSchema, type Annotation, type Status } from '../protocol';
import { ModelRegistry } from '../registry/ModelRegistry';
import { pickRunner } from '../runs/pickRunner';
import { RunBook } from '../runs/RunBook';
import { RunService } from '../runs/RunService';
import { UsedSamples } from '../runs/UsedSamples';
import { DatasetStore } from '../store/DatasetStore';
import type { StoreLogger } from '../store/logger';
import { relativeToWorkspace } from '../workspace/insideWorkspace';
import { layoutFor, type Layout } from '../workspace/layout';

export interface FlywheelEvents {
  status: [Status];
}

export class Flywheel extends EventEmitter<FlywheelEvents> {
  private configError: string | null = null;
  private readonly disposers: (() => void)[] = [];

  private constructor(
    readonly layout: Layout,
    private config: Config,
    private readonly store: DatasetStore,
    private readonly assessor: Assessor,
    readonly annotations: LatestById<Annotation>,
    /** The text of every sample a person labelled, so labels outlive edits to their lines. */
    readonly labelled: LatestById<LabelledSample>,
    /** The workspace's own judge calibrations (`finetune judge calibrate`); they win over the shipped one. */
    readonly calibrations: CalibrationStore,
    /** Judging and annotating samples. */
    readonly assess: AssessService,
    /** The threshold, runs and model versions. */
    readonly runs: RunService,
    private readonly log: Logger,
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
    const assessor = await Assessor.open(layout.stateDir, createJudge(config.judge, process.env, calibrations.calibrations()), assessorSettings(config), metrics, storeLog, store.sampleIds);
    const annotations = await LatestById.open(layout.stateDir, 'annotations.jsonl', (v) => annotationSchema.parse(v), storeLog);
    const labelled = await openLabelledSamples(layout.stateDir, storeLog);
    const settings = () => fw.config;
    const runs = new RunService({
      layout,
      config: settings,
      book: await RunBook.open(layout.stateDir, storeLog),
      used: await UsedSamples.open(layout.stateDir, storeLog, store.sampleIds),
      registry: await ModelRegistry.open(layout.models, storeLog),
      samples: new TrainingSet(store, assessor, annotations),
      pickRunner: () => pickRunner(settings().finetuning, layout.stateDir, log),
      log,
      metrics,
    });
    // New verdicts in the training dataset are counted against the threshold before a request is answered.
    const assess = new AssessService({ layout, config: settings, store, assessor, annotations, labelled, log, metrics, verdictsChanged: (ids) => runs.samplesChanged(ids) });
    const fw: Flywheel = new Flywheel(layout, config, store, assessor, annotations, labelled, calibrations, assess, runs, log, metricsUrl);
    runs.on('changed', () => fw.publishStatus());
    // A storage fault (and its healing) reaches the status bar as it happens, not at the next poll.
    const fault = store.onFaultChange(() => fw.publishStatus());
    fw.disposers.push(() => fault.dispose());
    const watch = store.watch((change) => void assess.datasetEdited(change));
    fw.disposers.push(() => watch.dispose());
    await assess.judgeUnjudged();
    await runs.open();
    const count = runs.thresholdCount;
    log.info('daemon.open', `dataset ${fw.rel(layout.dataset)}: ${store.size} samples, ${count.collected} new high-quality, ${count.remaining} to the threshold`);
    runs.resume();
    void assess.rejudgeOutdated();
    return fw;
  }

  get settings(): Config {
    return this.config;
  }

  /** Why config/models.yml on disk is invalid, when it is (the last good config stays in use). */
  get lastConfigError(): string | null {
    return this.configError;
  }

  status(): Status {
    const f = this.config.finetuning;
    const count = this.runs.thresholdCount;
    return {
      workspace: this.layout.workspace,
      task: f.task,
      collected: count.collected,
      threshold: f.threshold,
      remaining: count.remaining,
      enabled: f.enabled,
      minAverage: this.config.judge.min_average,
      floors: floorsFor(this.config.judge, f.task),
      datasetSamples: this.store.size,
      datasetPath: this.rel(this.layout.dataset),
      invalidLines: this.store.invalidCount,
      judge: this.assessor.judgeInfo,
      currentModel: this.runs.models.current,
      activeRun: this.runs.activeRun() ?? null,
      metrics: this.metricsUrl(),
      logPath: this.rel(this.layout.log),
      configError: this.configError,
      storage: this.store.error ? { message: this.store.error.message, hint: this.store.error.hint } : null,
    };
  }

  async applyConfig(config: Config): Promise<void> {
    this.config = config;
    this.configError = null;
    this.rebuildJudge();
    this.log.info('config.reload', 'config/models.yml reloaded');
    await this.assess.judgeUnjudged();
    await this.runs.samplesChanged();
    void this.assess.rejudgeOutdated();
  }

  /** The workspace calibration was written or reverted: verdicts from now on use it. */
  async calibrationChanged(): Promise<void> {
    this.rebuildJudge();
    this.log.info('judge.calibration', `judge calibration: ${this.calibrations.current?.version ?? 'shipped'} (judge version ${this.assessor.judgeInfo.version})`);
    await this.assess.judgeUnjudged();
    await this.runs.samplesChanged();
    void this.assess.rejudgeOutdated();
  }

  reportConfigError(message: string): void {
    this.configError = message;
    this.log.error('config.invalid', `${message} (keeping the last good config)`);
    this.publishStatus();
  }

  async close(): Promise<void> {
    for (const d of this.disposers) d();
    await this.assess.close();
    await this.store.close();
    await this.assessor.close();
    await this.annotations.close();
    await this.labelled.close();
    await this.runs.close();
  }

  private rebuildJudge(): void {
    this.assessor.reconfigure(createJudge(this.config.judge, process.env, this.calibrations.calibrations()), assessorSettings(this.config));
  }

  private publishStatus(): void {
    this.emit('status', this.status());
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
