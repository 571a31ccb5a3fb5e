// The run lifecycle without a trainer process: the threshold trigger, refusals, cancel, landing
// and the gate, the count starting afresh, and the seed's finetuneModel call.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainError } from '../../../daemon/errors/DomainError';
import type { LandedVersion } from '../../../daemon/runs/RunService';
import { jsonl, samplesOf } from '../../helpers/samples';
import { testFlywheel, type TestFlywheel } from './helpers';

async function submit(fw: TestFlywheel, samples: { input: string; output: string }[]): Promise<void> {
  for (const s of samples) await fw.assess.submit({ input: s.input, output: s.output });
}

function refusal(kind: string): (err: unknown) => boolean {
  return (err) => err instanceof DomainError && err.kind === kind && !!err.hint;
}

describe('RunService', () => {
  let fw: TestFlywheel;
  afterEach(() => fw.close());

  it('queues exactly one run when the threshold is reached, on a snapshot of the samples, and starts it', async () => {
    fw = await testFlywheel();
    const good = samplesOf('good', 4);
    await submit(fw, good.slice(0, 2));
    assert.equal(fw.runs.list().length, 0);
    assert.equal(fw.runs.thresholdCount.remaining, 1);
    await submit(fw, good.slice(2, 3));
    const [run] = fw.runs.list();
    assert.deepEqual([fw.runs.list().length, run.trigger, run.snapshot.count], [1, 'threshold', 3]);
    assert.equal(fs.readFileSync(path.join(fw.dir, run.snapshot.path), 'utf8').trim().split('\n').length, 3);
    const started = await fw.runner.next();
    assert.equal(started.spec.runId, run.id);
    assert.equal((await fw.until(run.id, 'running')).status, 'running');
    // More samples while it runs queue nothing more.
    await submit(fw, good.slice(3));
    assert.equal(fw.runs.list().length, 1);
  });

  it('lands a finished run as the current version, tells everyone, and counts afresh', async () => {
    fw = await testFlywheel();
    const landed: LandedVersion[] = [];
    fw.runs.on('modelLanded', (v) => landed.push(v));
    await submit(fw, samplesOf('good', 3));
    const [run] = fw.runs.list();
    fw.runner.succeed(await fw.runner.next());
    const done = await fw.until(run.id, 'succeeded');
    assert.equal(done.version, 'v1');
    assert.deepEqual(landed.map((v) => [v.version, v.promoted]), [['v1', true]]);
    assert.equal(fw.runs.models.current?.version, 'v1');
    // The samples v1 learned from no longer count towards the next threshold.
    assert.deepEqual([fw.runs.thresholdCount.collected, fw.runs.thresholdCount.remaining], [0, 3]);
    assert.deepEqual(fw.changes.filter((r) => r.id === run.id).map((r) => r.status).filter((s, i, all) => s !== all[i - 1]), ['queued', 'running', 'succeeded']);
  });

  it('keeps a worse version as a candidate: the gate decides, the current version stays', async () => {
    fw = await testFlywheel({ enabled: false });
    await submit(fw, samplesOf('good', 3));
    const first = await fw.runs.startRun({ force: false });
    fw.runner.succeed(await fw.runner.next(1), 1.5);
    await fw.until(first.id, 'succeeded');
    await submit(fw, samplesOf('good', 3, 11));
    const second = await fw.runs.startRun({ force: false });
    fw.runner.succeed(await fw.runner.next(2), 2.5);
    assert.equal((await fw.until(second.id, 'succeeded')).version, 'v2');
    assert.equal(fw.runs.models.current?.version, 'v1');
    assert.deepEqual((await fw.runs.models.list()).map((v) => [v.version, v.status]), [['v2', 'candidate'], ['v1', 'current']]);
  });

  it('after an automatic run fails, waits for a threshold of new samples before the next', async () => {
    fw = await testFlywheel();
    await submit(fw, samplesOf('good', 3));
    const [failed] = fw.runs.list();
    fw.runner.fail(await fw.runner.next(1));
    assert.deepEqual((await fw.until(failed.id, 'failed')).error, { message: 'the trainer failed', hint: 'see the log' });
    const fresh = samplesOf('good', 3, 21);
    await submit(fw, fresh.slice(0, 2));
    assert.equal(fw.runs.list().length, 1, 'two new samples are not a threshold of new ones');
    await submit(fw, fresh.slice(2));
    const [again] = fw.runs.list();
    assert.deepEqual([fw.runs.list().length, again.trigger, again.snapshot.count], [2, 'threshold', 6]);
  });

  it('refuses a run below the threshold, a second run, and a run with nothing to train on', async () => {
    fw = await testFlywheel({ enabled: false });
    await assert.rejects(fw.runs.startRun({ force: true }), refusal('nothing-to-train'));
    await submit(fw, samplesOf('good', 1));
    await assert.rejects(fw.runs.startRun({ force: false }), (err: unknown) => {
      assert.ok(refusal('below-threshold')(err));
      assert.deepEqual((err as DomainError).details, { collected: 1, threshold: 3, remaining: 2 });
      assert.match((err as DomainError).hint!, /--force.*automatic runs are off/);
      return true;
    });
    const forced = await fw.runs.startRun({ force: true, idempotencyKey: 'k' });
    assert.equal(forced.trigger, 'forced');
    assert.equal((await fw.runs.startRun({ force: true, idempotencyKey: 'k' })).id, forced.id, 'a retried request gets the same run');
    await assert.rejects(fw.runs.startRun({ force: true }), refusal('run-active'));
  });

  it('cancels a running trainer: it reports the end, recorded once', async () => {
    fw = await testFlywheel({ enabled: false });
    await submit(fw, samplesOf('good', 3));
    const run = await fw.runs.startRun({ force: false });
    const started = await fw.runner.next();
    await fw.until(run.id, 'running');
    await fw.runs.cancelRun();
    assert.ok(started.cancelled, 'the trainer was asked to stop');
    const done = await fw.until(run.id, 'cancelled');
    assert.ok(done.endedAt);
    assert.equal(fw.changes.filter((r) => r.id === run.id && r.status === 'cancelled').length, 1);
    assert.equal(fs.existsSync(started.spec.outputDir), false, 'the staging folder is cleaned up');
    await assert.rejects(fw.runs.cancelRun(), refusal('run-not-found'));
    await assert.rejects(fw.runs.cancelRun('run-nope'), refusal('run-not-found'));
    // Cancelling an ended run changes nothing.
    assert.equal((await fw.runs.cancelRun(run.id)).status, 'cancelled');
  });

  it('cancels a queued run before its trainer starts, and never trains it', async () => {
    fw = await testFlywheel({ enabled: false });
    await submit(fw, samplesOf('good', 3));
    const release = fw.runner.holdPicks();
    const run = await fw.runs.startRun({ force: false });
    assert.equal((await fw.runs.cancelRun(run.id)).status, 'cancelled');
    release();
    await fw.runner.picked;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(fw.runner.started.length, 0);
    assert.deepEqual(fw.changes.filter((r) => r.id === run.id).map((r) => r.status), ['queued', 'cancelled']);
  });

  it("waits, still queued, for what the runner reserves, and releases it after the run", async () => {
    fw = await testFlywheel({ enabled: false, distributed: { strategy: 'ddp', processes: 2 }, gpus: 2 });
    await submit(fw, samplesOf('good', 3));
    let open!: () => void;
    fw.runner.reservation = { until: new Promise((r) => (open = r)), asked: [], waits: [], released: 0 };
    const run = await fw.runs.startRun({ force: false });
    while (fw.runner.reservation.asked.length === 0) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(fw.runner.reservation.asked[0].resources, { gpusPerNode: 2, nodes: 1, processes: 2, strategy: 'ddp' });
    assert.equal(fw.runs.list().find((r) => r.id === run.id)?.status, 'queued');
    open();
    const started = await fw.runner.next();
    assert.deepEqual(started.spec.resources, { gpusPerNode: 2, nodes: 1, processes: 2, strategy: 'ddp' });
    assert.ok(!JSON.stringify(started.spec).match(/memory|shm|cpu_?fallback|image/i), 'no engine settings in the spec');
    fw.runner.used = { processes: 2, image: { name: 'img', id: 'sha256:abc' }, job: 'j-1', scripted: { job_id: 'j-1' } };
    fw.runner.succeed(started);
    const done = await fw.until(run.id, 'succeeded');
    for (let i = 0; i < 100 && fw.runner.reservation.released === 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(fw.runner.reservation.released, 1, 'released once the run has ended');
    const metadata = JSON.parse(fs.readFileSync(path.join(fw.runs.models.current!.path, 'metadata.json'), 'utf8'));
    assert.equal(done.version, 'v1');
    assert.deepEqual([metadata.runner, metadata.processes, metadata.nodes], ['scripted', 2, 1]);
    assert.deepEqual(metadata.image, { name: 'img', id: 'sha256:abc' });
    assert.deepEqual(metadata.engine, { job: 'j-1', scripted: { job_id: 'j-1' } });
    assert.deepEqual(metadata.scripted, { job_id: 'j-1' }, "the runner's own record also under its name, as ray's is");
    assert.equal(metadata.hyperparameters.effective_batch_size, fw.config.finetuning.batch_size * fw.config.finetuning.gradient_accumulation_steps * 2);
  });

  it('a run cancelled while it waits for its reservation never starts', async () => {
    fw = await testFlywheel({ enabled: false });
    await submit(fw, samplesOf('good', 3));
    let open!: () => void;
    fw.runner.reservation = { until: new Promise((r) => (open = r)), asked: [], waits: [], released: 0 };
    const run = await fw.runs.startRun({ force: false });
    while (fw.runner.reservation.waits.length === 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal((await fw.runs.cancelRun(run.id)).status, 'cancelled');
    assert.equal(fw.runner.reservation.waits[0].calledOff(), true);
    open();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(fw.runner.started.length, 0);
    assert.equal(fw.runner.reservation.released, 0);
  });

  it("finetuneModel: the seed's call trains on a dataset file and lands under the output folder asked for", async () => {
    fw = await testFlywheel({ enabled: false });
    fs.writeFileSync(path.join(fw.dir, 'picked.jsonl'), jsonl(samplesOf('good', 4)));
    const result = fw.runs.finetuneModel({ taskType: 'summarization', datasetPath: 'picked.jsonl', outputDir: 'models/picked' });
    fw.runner.succeed(await fw.runner.next());
    const r = await result;
    assert.equal(r.status, 'succeeded');
    assert.equal(r.version, 'v1');
    assert.ok(r.path!.startsWith(path.join(fw.dir, 'models/picked')), r.path!);
    assert.deepEqual(r.metrics?.after, { eval_loss: 1.9 });
    assert.equal(fw.runs.models.current, null, "the workspace's own model is untouched");
  });
});
