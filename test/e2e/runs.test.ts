// Run lifecycle with real training (local runner): a worse second run lands as a candidate,
// cancel mid-run leaves no trainer behind, and a daemon killed mid-run still lands the model
// after a restart (the run is re-attached).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelsList, RunsCancel, RunsDidFinish, RunsDidProgress, RunsList, RunsStart, SamplesSubmit, type RunSummary } from '../../daemon/protocol';
import type { DaemonClient } from '../../daemon/client/DaemonClient';
import { isAlive } from '../../daemon/shared/instanceLock';
import { startDaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

const config = (lr: string, epochs: number) => `
finetuning:
  enabled: false
  threshold: 10
  base_model: tiny-random-mistral
  runner: local
  method: full
  batch_size: 8
  gradient_accumulation_steps: 1
  learning_rate: ${lr}
  num_epochs: ${epochs}
  max_length: 256
  eval_split: 0.2
`;

async function feed(c: DaemonClient, n: number, seed: number): Promise<void> {
  for (const s of samplesOf('good', n, seed)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
}

function finishedRun(c: DaemonClient): Promise<RunSummary> {
  return new Promise((resolve) => c.on(RunsDidFinish, resolve));
}

/** The trainer runs in the process group its shell leads: gone when no member is left. */
function groupGone(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return false;
  } catch {
    return true;
  }
}

function trainerPids(ws: TestWorkspace): number[] {
  const dir = path.join(ws.dir, 'data', '.flywheel', 'local-runs');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).flatMap((r) => {
    const f = path.join(dir, r, 'pid');
    return fs.existsSync(f) ? [Number(fs.readFileSync(f, 'utf8'))] : [];
  });
}

describe('run lifecycle (local runner, real training)', function () {
  let ws: TestWorkspace;
  afterEach(() => ws?.remove());

  it('lands a second, worse run as a candidate and keeps the current version', async () => {
    ws = makeWorkspace(config('2e-3', 6));
    const daemon = await startDaemonProcess(ws);
    const c = await daemon.connect();
    await feed(c, 20, 41);
    let done = finishedRun(c);
    await c.request(RunsStart, { force: true });
    assert.equal((await done).version, 'v1');
    c.close();
    await daemon.stop();

    // Same data, a learning rate too small to learn anything: held-out loss is worse than v1's.
    ws.write('config/models.yml', config('1e-9', 1) + 'metrics:\n  port: 0\n');
    const again = await startDaemonProcess(ws);
    const c2 = await again.connect();
    done = finishedRun(c2);
    await c2.request(RunsStart, { force: true });
    const second = await done;
    assert.equal(second.status, 'succeeded');
    assert.equal(second.version, 'v2');
    const models = await c2.request(ModelsList, {});
    const v1 = models.find((m) => m.version === 'v1')!;
    const v2 = models.find((m) => m.version === 'v2')!;
    assert.equal(v1.current, true, 'v1 stays current');
    assert.equal(v2.current, false);
    assert.equal(v2.status, 'candidate');
    c2.close();
    await again.stop();
  });

  it('cancels a run mid-training and leaves no trainer process or staging folder', async () => {
    ws = makeWorkspace(config('2e-3', 200));
    const daemon = await startDaemonProcess(ws);
    const c = await daemon.connect();
    await feed(c, 12, 43);
    const done = finishedRun(c);
    const firstStep = new Promise<void>((resolve) => c.on(RunsDidProgress, () => resolve()));
    const run = await c.request(RunsStart, { force: true });
    await firstStep;
    const pids = trainerPids(ws);
    assert.ok(pids.length > 0 && pids.every(isAlive), 'the trainer is running');
    await c.request(RunsCancel, { id: run.id });
    const end = await done;
    assert.equal(end.status, 'cancelled');
    assert.equal(end.version, null);
    assert.ok(pids.every((p) => !isAlive(p) && groupGone(p)), 'no trainer process left (the shell nor the trainer)');
    assert.deepEqual(fs.readdirSync(path.join(ws.dir, 'models', 'finetuned', '.staging')), []);
    assert.equal((await c.request(ModelsList, {})).length, 0);
    c.close();
    await daemon.stop();
  });

  it('still lands the model when the daemon is killed mid-run and started again', async () => {
    ws = makeWorkspace(config('2e-3', 40));
    let daemon = await startDaemonProcess(ws);
    const c = await daemon.connect();
    await feed(c, 12, 47);
    const firstStep = new Promise<void>((resolve) => c.on(RunsDidProgress, () => resolve()));
    const run = await c.request(RunsStart, { force: true });
    await firstStep;
    c.close();
    await daemon.kill9();
    assert.ok(trainerPids(ws).every(isAlive), 'training outlives the daemon');

    daemon = await startDaemonProcess(ws);
    const c2 = await daemon.connect();
    // The restarted daemon re-attaches to the trainer and lands its model.
    let landed: RunSummary | undefined;
    for (let i = 0; i < 600 && !landed; i++) {
      const r = (await c2.request(RunsList, { limit: 5 })).find((x) => x.id === run.id)!;
      if (r.status !== 'running') landed = r;
      else await new Promise((res) => setTimeout(res, 500));
    }
    assert.equal(landed?.status, 'succeeded', JSON.stringify(landed?.error));
    assert.equal(landed?.version, 'v1');
    assert.equal((await c2.request(ModelsList, {}))[0].current, true);
    c2.close();
    await daemon.stop();
  });
});
