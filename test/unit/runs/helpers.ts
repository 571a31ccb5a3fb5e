// A workspace's services in-process, on real stores in a temp folder, with a runner that trains
// nothing: the test decides when each run's "trainer" succeeds, fails or is cancelled, and on
// success it leaves the files a trainer leaves. Everything else (judge, store, journals,
// registry, gate) is the real code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AssessService } from '../../../daemon/assess/AssessService';
import { Assessor } from '../../../daemon/assess/Assessor';
import { openLabelledSamples } from '../../../daemon/assess/labelledSamples';
import { LatestById } from '../../../daemon/assess/LatestById';
import { TrainingSet } from '../../../daemon/assess/TrainingSet';
import { defaultConfig, floorsFor, type Config } from '../../../daemon/config';
import { createJudge } from '../../../daemon/judge/createJudge';
import { Logger } from '../../../daemon/log';
import { Metrics } from '../../../daemon/metrics';
import { annotation as annotationSchema, type RunSummary } from '../../../daemon/protocol';
import { ModelRegistry } from '../../../daemon/registry/ModelRegistry';
import { RunBook } from '../../../daemon/runs/RunBook';
import type { EngineRecord, ReconciledRun, Reservation, ReserveWait, RunExit, RunHandle, Runner, RunListener, RunSpec } from '../../../daemon/runs/runners/types';
import { RunService } from '../../../daemon/runs/RunService';
import { UsedSamples } from '../../../daemon/runs/UsedSamples';
import { DatasetStore } from '../../../daemon/store/DatasetStore';
import { layoutFor } from '../../../daemon/workspace/layout';
import { removeTree, writeTrainerOutput } from '../registry/helpers';
import { progressEvent } from '../../helpers/trainerEvents';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Started {
  spec: RunSpec;
  listener: RunListener;
  end(exit: RunExit): void;
  cancelled: boolean;
}

/** A runner whose trainers the test ends by hand: a name the lifecycle has never heard of. */
export class ScriptedRunner implements Runner {
  readonly name = 'scripted';
  readonly started: Started[] = [];
  /** What the runner says it used when a run succeeds. */
  used: EngineRecord = { processes: 1 };
  /** When set, reserve() waits for it (as the host GPU lock would); what it was asked is kept. */
  reservation: { until: Promise<void>; asked: RunSpec[]; waits: ReserveWait[]; released: number } | undefined;

  async reserve(spec: RunSpec, wait: ReserveWait): Promise<Reservation | undefined> {
    const r = this.reservation;
    if (!r) return { release: () => undefined };
    r.asked.push(spec);
    r.waits.push(wait);
    await r.until;
    return wait.calledOff() ? undefined : { release: () => r.released++ };
  }
  private waiting: ((s: Started) => void)[] = [];
  /** Picking this runner waits for this (a Docker image build, say). */
  picked: Promise<void> = Promise.resolve();

  /** Makes the next picks wait until the returned function is called. */
  holdPicks(): () => void {
    let release!: () => void;
    this.picked = new Promise((r) => (release = r));
    return release;
  }

  async start(spec: RunSpec, listener: RunListener): Promise<RunHandle> {
    let end!: (exit: RunExit) => void;
    const done = new Promise<RunExit>((resolve) => (end = resolve));
    const started: Started = { spec, listener, end, cancelled: false };
    this.started.push(started);
    for (const w of this.waiting.splice(0)) w(started);
    return {
      id: spec.runId,
      wait: () => done,
      cancel: async () => {
        started.cancelled = true;
        end({ status: 'cancelled', exitCode: 3 });
      },
    };
  }

  async reconcile(): Promise<ReconciledRun[]> {
    return [];
  }

  /** The next trainer started (or the last one, when it already is). */
  next(count = this.started.length + 1): Promise<Started> {
    if (this.started.length >= count) return Promise.resolve(this.started[count - 1]);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The trainer reports progress, writes its output with this held-out loss, and exits 0. */
  succeed(s: Started, evalLoss = 1.9): void {
    s.listener.onEvent(progressEvent({ step: 5, total_steps: 5, loss: 1.5 }));
    writeTrainerOutput(s.spec.outputDir, { after: { eval_loss: evalLoss } });
    s.end({ status: 'succeeded', exitCode: 0, used: this.used });
  }

  fail(s: Started, message = 'the trainer failed'): void {
    s.end({ status: 'failed', exitCode: 1, error: { message, hint: 'see the log' } });
  }
}

export interface TestFlywheel {
  dir: string;
  config: Config;
  runner: ScriptedRunner;
  assess: AssessService;
  assessor: Assessor;
  runs: RunService;
  /** Every run summary the service reported, in order. */
  changes: RunSummary[];
  /** Resolves with the run's summary once it reaches `status`. */
  until(id: string, status: RunSummary['status']): Promise<RunSummary>;
  close(): Promise<void>;
}

export async function testFlywheel(finetuning: Partial<Config['finetuning']> = {}): Promise<TestFlywheel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-runs-'));
  const config = defaultConfig();
  config.finetuning = { ...config.finetuning, threshold: 3, gpus: 'none', ...finetuning };
  const layout = layoutFor(dir, { dataset: config.dataset.path, log: config.logs.path, outputDir: config.finetuning.output_dir });
  const metrics = new Metrics();
  const log = new Logger({ file: layout.log, maxBytes: 1_000_000, keep: 1 });
  const store = await DatasetStore.open({ datasetPath: layout.dataset, stateDir: layout.stateDir, maxLineBytes: config.dataset.max_line_bytes, logger: quiet });
  const task = config.finetuning.task;
  const gate = { minAverage: config.judge.min_average, floors: floorsFor(config.judge, task) };
  const assessor = await Assessor.open(layout.stateDir, createJudge(config.judge), { task, gate, criteria: [] }, metrics, quiet, store.sampleIds);
  const annotations = await LatestById.open(layout.stateDir, 'annotations.jsonl', (v) => annotationSchema.parse(v), quiet);
  const labelled = await openLabelledSamples(layout.stateDir, quiet);
  const book = await RunBook.open(layout.stateDir, quiet);
  const used = await UsedSamples.open(layout.stateDir, quiet, store.sampleIds);
  const runner = new ScriptedRunner();
  const runs = new RunService({
    layout,
    config: () => config,
    book,
    used,
    registry: await ModelRegistry.open(layout.models, quiet),
    samples: new TrainingSet(store, assessor, annotations),
    pickRunner: async () => {
      await runner.picked;
      return runner;
    },
    log,
    metrics,
  });
  const assess = new AssessService({ layout, config: () => config, store, assessor, annotations, labelled, log, metrics, verdictsChanged: (ids) => runs.samplesChanged(ids) });
  await runs.open();
  const changes: RunSummary[] = [];
  runs.on('runChanged', (r) => changes.push(r));
  return {
    dir,
    config,
    runner,
    assess,
    assessor,
    runs,
    changes,
    until: (id, status) =>
      new Promise((resolve) => {
        const seen = changes.find((r) => r.id === id && r.status === status);
        if (seen) return resolve(seen);
        const listener = (r: RunSummary) => {
          if (r.id !== id || r.status !== status) return;
          runs.off('runChanged', listener);
          resolve(r);
        };
        runs.on('runChanged', listener);
      }),
    async close() {
      await assess.close();
      await store.close();
      await assessor.stored.close();
      await annotations.close();
      await labelled.close();
      await runs.close();
      log.close();
      removeTree(dir);
    },
  };
}
