import { strict as assert } from 'node:assert';
import { ResponseError } from 'vscode-jsonrpc';
import type { DaemonClient } from '../../daemon/client/DaemonClient';
import { ErrorCodes, RunsCancel, RunsDidChange, RunsDidFinish, RunsList, RunsStart, SamplesSubmit, StatusGet, type RunSummary } from '../../daemon/protocol';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

// Runs triggered here are real (local runner, the tiny model) and long enough to still be
// going while the test checks that no second run is queued; each test cancels what it started.
const LONG_RUN = 'finetuning:\n  threshold: 5\n  runner: local\n  base_model: tiny-random-mistral\n  method: full\n  num_epochs: 500\n  max_length: 128\n';

async function cancelActive(c: DaemonClient): Promise<void> {
  const active = (await c.request(RunsList, { limit: 10 })).find((r) => r.status === 'queued' || r.status === 'running');
  if (active) await c.request(RunsCancel, { id: active.id });
}

describe('threshold (enforced by the daemon)', () => {
  let ws: TestWorkspace;
  let daemon: DaemonProcess;

  beforeEach(async () => {
    ws = makeWorkspace(LONG_RUN);
    daemon = await startDaemonProcess(ws);
  });
  afterEach(async () => {
    // Training outlives the daemon by design: stop it first.
    const c = await daemon.connect();
    await cancelActive(c);
    c.close();
    await daemon.stop();
    ws.remove();
  });

  it('queues exactly one run when the 5th high-quality sample arrives, not one sample earlier', async () => {
    const c = await daemon.connect();
    const queued: RunSummary[] = [];
    c.on(RunsDidChange, (r) => r.status === 'queued' && queued.push(r));
    const good = samplesOf('good', 7);
    const bad = samplesOf('flawed', 3);
    // Rejected samples in between must not count.
    for (const s of bad) assert.equal((await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } })).stored, false);
    for (let i = 0; i < 5; i++) {
      const before = await c.request(StatusGet, {});
      assert.equal(before.remaining, 5 - i);
      assert.equal((await c.request(RunsList, { limit: 10 })).length, 0, `no run before sample ${i + 1}`);
      await c.request(SamplesSubmit, { sample: { input: good[i].input, output: good[i].output } });
    }
    const runs = await c.request(RunsList, { limit: 10 });
    assert.equal(runs.length, 1);
    assert.equal(runs[0].trigger, 'threshold');
    assert.equal(runs[0].snapshot.count, 5);
    assert.equal((await c.request(StatusGet, {})).remaining, 0);
    // More samples while a run is active never queue a second one.
    for (const s of good.slice(5)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    assert.equal((await c.request(RunsList, { limit: 10 })).length, 1);
    assert.equal(queued.length, 1);
    c.close();
  });

  it('refuses a manual run below the threshold with the numbers, unless forced', async () => {
    const c = await daemon.connect();
    const [s] = samplesOf('good', 1);
    await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    const err = await c.request(RunsStart, { force: false }).then(
      () => assert.fail('expected a refusal'),
      (e: ResponseError<{ kind: string; details: Record<string, number>; hint: string }>) => e,
    );
    assert.equal(err.code, ErrorCodes.BelowThreshold);
    assert.match(err.message, /1 of 5 .*4 more/);
    assert.deepEqual(err.data?.details, { collected: 1, threshold: 5, remaining: 4 });
    assert.match(err.data!.hint, /--force/);
    const forced = await c.request(RunsStart, { force: true });
    assert.equal(forced.trigger, 'forced');
    assert.equal(forced.status, 'queued');
    assert.equal(forced.snapshot.count, 1);
    c.close();
  });

  it('after an automatic run fails, waits for a threshold of new samples before triggering again', async () => {
    await daemon.stop();
    ws.write('config/models.yml', LONG_RUN.replace('tiny-random-mistral', '/no/such/model') + 'metrics:\n  port: 0\n');
    daemon = await startDaemonProcess(ws);
    const c = await daemon.connect();
    const failedRun = new Promise<RunSummary>((resolve) => c.on(RunsDidFinish, resolve));
    const good = samplesOf('good', 14, 17);
    for (const s of good.slice(0, 5)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    const failed = await failedRun;
    assert.equal(failed.status, 'failed');
    assert.match(failed.error!.message, /no\/such\/model|not found|does not exist/i);
    // Four new samples: not enough for a second automatic run on (mostly) the same data.
    for (const s of good.slice(5, 9)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    assert.equal((await c.request(RunsList, { limit: 10 })).length, 1);
    // The fifth new one is.
    await c.request(SamplesSubmit, { sample: { input: good[9].input, output: good[9].output } });
    const runs = await c.request(RunsList, { limit: 10 });
    assert.equal(runs.length, 2);
    assert.equal(runs[0].trigger, 'threshold');
    assert.equal(runs[0].snapshot.count, 10);
    c.close();
  });

  it('returns the same run for a retried request with the same idempotency key', async () => {
    const c = await daemon.connect();
    const [s] = samplesOf('good', 1);
    await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    const a = await c.request(RunsStart, { force: true, idempotencyKey: 'k1' });
    const b = await c.request(RunsStart, { force: true, idempotencyKey: 'k1' });
    assert.equal(a.id, b.id);
    c.close();
  });
});
