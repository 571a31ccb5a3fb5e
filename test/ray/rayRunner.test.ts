// The Ray runner against a real Ray cluster on this machine (a head and a worker node, 1 CPU
// each, loopback): the daemon submits the trainer as a Ray job over the job REST API, two ranks
// train the tiny model across the two nodes, and v1 lands; a cancel stops the job; a job stopped
// from outside, and a worker node that dies mid-run, fail the run with the reason; a restarted
// daemon re-attaches to its job. Skipped, saying why, only where Ray cannot be installed.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModelsList, RunsCancel, RunsDidFinish, RunsDidProgress, RunsList, RunsStart, SamplesSubmit, type RunSummary } from '../../daemon/protocol';
import type { DaemonClient } from '../../daemon/client/DaemonClient';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { rayEnv, startCluster, type RayCluster } from './rayCluster';

const config = (address: string, epochs: number, storage?: string) => `
finetuning:
  enabled: false
  threshold: 10
  base_model: tiny-random-mistral
  runner: ray
  gpus: none
  batch_size: 4
  gradient_accumulation_steps: 1
  learning_rate: 1e-2
  num_epochs: ${epochs}
  max_length: 256
  eval_split: 0.2
  distributed:
    processes: 2
  ray:
    address: "${address}"${storage ? `\n    storage: "${storage}"` : ''}
`;

/** Long enough to act on mid-run (hundreds of steps); short runs use 2 epochs. */
const LONG = 150;

interface Started {
  finished: Promise<RunSummary>;
  /** Resolved at the first training step a client is told of. */
  progressed: Promise<void>;
  steps: number[];
}

async function startRun(c: DaemonClient): Promise<Started> {
  for (const s of samplesOf('good', 20, 7)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
  const finished = new Promise<RunSummary>((resolve) => c.on(RunsDidFinish, resolve));
  // One handler per notification on a connection: this one collects, and signals the first step.
  const steps: number[] = [];
  const progressed = new Promise<void>((resolve) =>
    c.on(RunsDidProgress, (p) => {
      steps.push(p.progress.step);
      if (p.progress.step > 0) resolve();
    }),
  );
  await c.request(RunsStart, { force: true });
  return { finished, progressed, steps };
}

interface JobRow {
  submission_id: string;
  status: string;
  metadata?: Record<string, string>;
}

/** The cluster's own record of the jobs a run submitted, as its dashboard shows them. */
async function jobsOf(address: string, runId: string): Promise<JobRow[]> {
  const res = await fetch(`${address}/api/jobs/`);
  return ((await res.json()) as JobRow[]).filter((j) => j.metadata?.flywheel_run === runId);
}

describe('ray runner (a real Ray cluster on loopback)', function () {
  let cluster: RayCluster | undefined;
  let bin = '';
  let ws: TestWorkspace | undefined;
  let daemon: DaemonProcess | undefined;

  before(async function () {
    const env = rayEnv();
    if ('skip' in env) {
      console.log(`    ray tier skipped: ${env.skip}`);
      this.skip();
    }
    bin = env.bin;
    cluster = await startCluster(bin);
  });
  after(async () => {
    await cluster?.stop();
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    ws?.remove();
    ws = undefined;
  });

  async function open(epochs: number, storage?: string): Promise<DaemonClient> {
    ws = makeWorkspace(config(cluster!.address, epochs, storage));
    daemon = await startDaemonProcess(ws);
    return daemon.connect();
  }

  it('says which address it cannot reach when no cluster answers there', async () => {
    const port = await closedPort();
    ws = makeWorkspace(config(`http://127.0.0.1:${port}`, 2));
    daemon = await startDaemonProcess(ws);
    const c = await daemon.connect();
    const run = await (await startRun(c)).finished;
    assert.equal(run.status, 'failed');
    assert.match(run.error!.message, new RegExp(`the Ray cluster at http://127\\.0\\.0\\.1:${port} cannot be reached`));
    assert.match(run.error!.hint ?? '', /finetuning\.ray\.address/);
    c.close();
  });

  it('trains over two workers on two nodes and lands v1 whose metadata says how it ran', async () => {
    const c = await open(2);
    const started = await startRun(c);
    const run = await started.finished;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.deepEqual(started.steps, [1, 2, 3, 4], 'every global step reached the client');
    const v1 = (await c.request(ModelsList, {})).find((m) => m.version === 'v1')!;
    const meta = JSON.parse(fs.readFileSync(path.join(v1.path, 'metadata.json'), 'utf8'));
    assert.equal(meta.runner, 'ray');
    assert.equal(meta.processes, 2);
    assert.equal(meta.metrics.processes, 2, 'the trainer ran as two ranks');
    const [job] = await jobsOf(cluster!.address, run.id);
    assert.equal(job.status, 'SUCCEEDED');
    assert.deepEqual(meta.engine.ray, { address: cluster!.address, job_id: job.submission_id, nodes: 2 });
    assert.deepEqual(meta.ray, meta.engine.ray, 'the contract\'s top-level "ray" record');
    assert.ok(fs.existsSync(path.join(v1.path, 'model.safetensors')), 'rank 0 wrote the merged model');
    c.close();
  });

  it('with finetuning.ray.storage, ranks write there and the model is copied into the workspace', async () => {
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-ray-storage-'));
    try {
      const c = await open(2, storage);
      const run = await (await startRun(c)).finished;
      assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
      const [runDir] = fs.readdirSync(path.join(storage, 'flywheel')).map((h) => path.join(storage, 'flywheel', h, run.id));
      assert.ok(fs.existsSync(path.join(runDir, 'out', 'model.safetensors')), 'rank 0 wrote the model to the shared folder');
      assert.deepEqual(fs.readdirSync(path.join(runDir, 'data')), [path.basename(run.snapshot.path)], 'the snapshot went through the shared folder');
      const v1 = (await c.request(ModelsList, {})).find((m) => m.version === 'v1')!;
      assert.ok(fs.existsSync(path.join(v1.path, 'model.safetensors')), 'the model was copied into the workspace and landed');
      c.close();
    } finally {
      fs.rmSync(storage, { recursive: true, force: true });
    }
  });

  it('cancels a run by stopping its job', async () => {
    const c = await open(LONG);
    const started = await startRun(c);
    await started.progressed;
    await c.request(RunsCancel, {});
    const run = await started.finished;
    assert.equal(run.status, 'cancelled', JSON.stringify(run.error));
    const jobs = await jobsOf(cluster!.address, run.id);
    assert.deepEqual(jobs.map((j) => j.status), ['STOPPED']);
    const log = ws!.read('logs/finetuning.log');
    assert.match(log, /"event":"trainer\.cancelled"/, 'the stop reached the ranks, and rank 0 said it stopped');
    assert.deepEqual(await c.request(ModelsList, {}), [], 'nothing landed');
    c.close();
  });

  it('fails a run whose job someone else stopped, and says so', async () => {
    const c = await open(LONG);
    const started = await startRun(c);
    await started.progressed;
    const [job] = await jobsOf(cluster!.address, (await runningId(c)) ?? '');
    // As an operator would: Ray's own CLI, against the same dashboard.
    const stop = spawnSync(path.join(bin, 'ray'), ['job', 'stop', '--no-wait', '--address', cluster!.address, job.submission_id], { encoding: 'utf8' });
    assert.equal(stop.status, 0, stop.stderr);
    const run = await started.finished;
    assert.equal(run.status, 'failed');
    assert.match(run.error!.message, new RegExp(`the Ray job ${job.submission_id} was stopped outside the daemon`));
    c.close();
  });

  it('re-attaches to its job after a daemon restart and lands the run', async () => {
    let c = await open(40);
    const started = await startRun(c);
    await started.progressed;
    const id = (await runningId(c))!;
    c.close();
    await daemon!.stop();
    daemon = await startDaemonProcess(ws!);
    c = await daemon.connect();
    const finished = new Promise<RunSummary>((resolve) => c.on(RunsDidFinish, resolve));
    const run = await finished;
    assert.equal(run.id, id);
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    const jobs = await jobsOf(cluster!.address, id);
    assert.equal(jobs.length, 1, 'the same job, not a second one');
    const v1 = (await c.request(ModelsList, {})).find((m) => m.version === 'v1')!;
    const meta = JSON.parse(fs.readFileSync(path.join(v1.path, 'metadata.json'), 'utf8'));
    assert.equal(meta.engine.ray.job_id, jobs[0].submission_id);
    c.close();
  });

  // The last two: the cluster has one node left after the first, none after the second.
  it('fails the run, naming the worker and its node, when the worker node dies mid-run', async () => {
    const c = await open(LONG);
    const started = await startRun(c);
    await started.progressed;
    await cluster!.killWorker();
    const run = await started.finished;
    assert.equal(run.status, 'failed');
    assert.match(run.error!.message, /^Ray worker [01] of 2 on node \S+ died/);
    assert.match(run.error!.hint ?? '', /ray status/);
    c.close();
  });

  it('fails a run whose cluster head goes away, naming the address', async () => {
    // One node and one CPU are left: the job waits for its second worker, and the head dies meanwhile.
    const c = await open(LONG);
    const started = await startRun(c);
    const id = await until(async () => (await runningId(c)) ?? undefined);
    await until(async () => ((await jobsOf(cluster!.address, id))[0]?.status === 'RUNNING' ? true : undefined));
    await cluster!.killHead();
    const run = await started.finished;
    assert.equal(run.status, 'failed');
    assert.match(run.error!.message, new RegExp(`^the Ray cluster at ${cluster!.address.replace(/\./g, '\\.')} stopped answering while job flywheel-${id}-\\w+ ran`));
    c.close();
  });
});

async function runningId(c: DaemonClient): Promise<string | undefined> {
  const runs = await c.request(RunsList, {});
  return runs.find((r) => r.status === 'running')?.id;
}

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = (srv.address() as net.AddressInfo);
      srv.close(() => resolve(port));
    });
  });
}

/** Polls (every 500 ms) until `probe` gives a value. */
async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
}
