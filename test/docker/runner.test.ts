// (b) a run streams its events and succeeds, (c) cancel mid-run, (d) a memory limit too small:
// DockerRunner against a real engine, with the real trainer image and a tiny model.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OOM_MESSAGE } from '../../daemon/runs/runners/docker';
import type { DockerRunner } from '../../daemon/runs/runners/docker';
import { RunnerError } from '../../daemon/runs/runners/types';
import { containersOf, dockerTier, IMAGE, Recorder, removeWorkspace, runner, runSpec, SHM_BYTES, type Tier, trainerArgs, workspace } from './harness';

describe('docker tier: DockerRunner runs the trainer', function () {
  let t: Tier;
  let r: DockerRunner;
  let ws: ReturnType<typeof workspace>;
  before(async function () {
    t = await dockerTier();
    r = await runner(t);
  });
  beforeEach(() => (ws = workspace(30)));
  afterEach(async function () {
    for (const c of await containersOf(t, ws.dir)) await t.docker.getContainer(c.Id).remove({ force: true });
    removeWorkspace(ws.dir);
  });

  it('is available', async function () {
    assert.equal(await r.available(), true);
    const down = await runner(t, { socketPath: '/nonexistent/docker.sock' });
    assert.equal(await down.available(), false);
  });

  it('(b) streams started/progress/completed to the listener, succeeds, writes the model, and removes the container', async function () {
    const rec = new Recorder();
    const spec = runSpec(ws, { trainerArgs: trainerArgs(8, ['--logging-steps', '2']) });
    const handle = await r.start(spec, rec);
    assert.equal(handle.id, spec.runId);
    const exit = await handle.wait();
    assert.deepEqual([exit.status, exit.exitCode], ['succeeded', 0]);
    // What it ran on, for the version's metadata: the image and its id, one process.
    assert.equal(exit.used?.processes, 1);
    assert.deepEqual(exit.used?.image, { name: IMAGE, id: (await t.docker.getImage(IMAGE).inspect()).Id });
    const names = rec.names();
    for (const e of ['started', 'progress', 'completed']) assert.ok(names.includes(e), `${e} in ${names.join(',')}`);
    assert.ok(names.indexOf('started') < names.indexOf('progress') && names.indexOf('progress') < names.indexOf('completed'));
    assert.equal(names.at(-1), 'completed');
    assert.ok(rec.events.filter((e) => e.event === 'progress').length >= 3);
    // Every stdout line is also a log line (the trainer prints nothing else on stdout).
    assert.equal(rec.logs.filter((l) => l.stream === 'stdout').length, rec.events.length);
    assert.ok(fs.existsSync(path.join(ws.outputDir, 'model.safetensors')));
    assert.deepEqual(await containersOf(t, ws.dir), []);
    assert.equal(await handle.wait(), exit, 'wait() answers the same thereafter');
  });

  it('(e) two processes in one container: torchrun inside, rank 0 alone reports, the run records 2 processes', async function () {
    const rec = new Recorder();
    const spec = runSpec(ws, { trainerArgs: trainerArgs(6, ['--batch-size', '2']), resources: { processes: 2 } });
    const exit = await (await r.start(spec, rec)).wait();
    assert.equal(exit.status, 'succeeded', JSON.stringify(exit.error));
    assert.equal(exit.used?.processes, 2);
    const started = rec.events.filter((e) => e.event === 'started');
    assert.equal(started.length, 1, 'one started event: only rank 0 speaks');
    assert.deepEqual(started.map((e) => e.event === 'started' && [e.processes, e.effective_batch_size]), [[2, 4]]);
    assert.deepEqual(rec.events.filter((e) => e.event === 'progress').map((e) => e.event === 'progress' && e.step).at(-1), 6);
    assert.ok(fs.existsSync(path.join(ws.outputDir, 'model.safetensors')));
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it('(c) cancel mid-run: the trainer checkpoints, the run is cancelled, and no container is left', async function () {
    const rec = new Recorder();
    const spec = runSpec(ws, { trainerArgs: trainerArgs(5000, ['--logging-steps', '5']) });
    const handle = await r.start(spec, rec);
    await rec.until('progress');

    // While it runs: the container has the settings of the design (reliability.md, "Containers").
    const info = await t.docker.getContainer(`finetune-${spec.runId}`).inspect();
    const hc = info.HostConfig;
    assert.equal(hc.Init, true);
    assert.equal(hc.AutoRemove, false);
    assert.deepEqual(hc.CapDrop, ['ALL']);
    assert.deepEqual(hc.SecurityOpt, ['no-new-privileges']);
    assert.equal(hc.Privileged, false);
    assert.equal(hc.Memory, spec.resources.memoryBytes);
    assert.equal(hc.ShmSize, SHM_BYTES);
    assert.equal(hc.PidsLimit, 4096);
    assert.equal(hc.NetworkMode, 'none', 'offline runs get no network');
    assert.deepEqual(hc.Binds, [`${ws.dataDir}:/data:ro`, `${ws.outputDir}:/models/out:rw`]);
    assert.ok(!JSON.stringify(hc).includes('docker.sock'));
    assert.equal(info.Config.Tty, false);
    assert.equal((info.Config as { StopSignal?: string }).StopSignal, 'SIGTERM');
    assert.notEqual(info.Config.User, '');
    assert.notEqual(info.Config.User.split(':')[0], '0');
    assert.equal(info.Config.Labels['flywheel.run-id'], spec.runId);
    assert.equal(info.Config.Labels['flywheel.workspace'], ws.dir);

    const asked = Date.now();
    await handle.cancel();
    const exit = await handle.wait();
    assert.equal(exit.status, 'cancelled');
    assert.equal(exit.exitCode, 3, 'the trainer handled SIGTERM itself (exit code 3), no SIGKILL');
    assert.ok(Date.now() - asked < 30_000, 'well before the stop timeout');
    const cancelled = rec.events.find((e) => e.event === 'cancelled');
    assert.ok(cancelled, rec.names().join(','));
    assert.equal(cancelled.signal, 'SIGTERM');
    assert.match(String(cancelled.checkpoint), /^\/models\/out\/checkpoints\/checkpoint-\d+$/);
    assert.ok(fs.existsSync(path.join(ws.outputDir, String(cancelled.checkpoint).slice('/models/out/'.length))), 'the checkpoint is on the host');
    assert.deepEqual(await containersOf(t, ws.dir), []);
    await handle.cancel(); // a second cancel is harmless
  });

  it('(d) a memory limit too small: failed with the out-of-memory message, no container left', async function () {
    const rec = new Recorder();
    const handle = await r.start(runSpec(ws, { resources: { memoryBytes: 64 * 1024 ** 2 } }), rec);
    const exit = await handle.wait();
    assert.equal(exit.status, 'failed');
    assert.equal(exit.exitCode, 137);
    assert.equal(exit.error?.message, OOM_MESSAGE);
    assert.ok(exit.error?.hint);
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it('a trainer failure reports the trainer\'s own reason and hint', async function () {
    fs.writeFileSync(path.join(ws.dataDir, 'snapshot.jsonl'), '{"input": "a", "output": "b"}\nnot json\n');
    const rec = new Recorder();
    const exit = await (await r.start(runSpec(ws), rec)).wait();
    assert.equal(exit.status, 'failed');
    assert.equal(exit.exitCode, 1);
    const failed = rec.events.find((e) => e.event === 'failed')!;
    assert.equal(exit.error?.message, failed.reason);
    assert.equal(exit.error?.hint, failed.hint);
    assert.match(exit.error!.message, /line 2/);
    assert.ok(rec.stderr().some((l) => l.startsWith('Traceback')), 'stderr reaches the listener');
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it('a run that prints nothing for stallTimeoutMs is stopped and reported as stalled', async function () {
    // Importing torch takes seconds of silence: enough for a 1 s stall limit.
    const impatient = await runner(t, { stallTimeoutMs: 1000 });
    const rec = new Recorder();
    const exit = await (await impatient.start(runSpec(ws), rec)).wait();
    assert.equal(exit.status, 'failed', JSON.stringify(exit));
    assert.match(exit.error!.message, /^stalled: the trainer printed nothing/);
    assert.ok(rec.stderr().some((l) => /stopping the stalled run/.test(l)));
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it('refuses a bad spec before touching Docker', async function () {
    const bad = [
      runSpec(ws, { runId: '../x' }),
      runSpec(ws, { dataDir: 'relative/data' }),
      runSpec(ws, { snapshotFile: '../../etc/passwd' }),
      runSpec(ws, { snapshotFile: 'missing.jsonl' }),
      runSpec(ws, { env: { 'BAD=NAME': 'x' } }),
    ];
    for (const spec of bad) {
      await assert.rejects(r.start(spec, new Recorder()), (err: unknown) => err instanceof RunnerError && err.kind === 'invalid_spec');
    }
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it('a missing image is a RunnerError that says how to build it', async function () {
    const r2 = await runner(t, { image: 'flywheel-no-such-image:latest' });
    await assert.rejects(r2.start(runSpec(ws), new Recorder()), (err: unknown) => err instanceof RunnerError && err.kind === 'image_missing' && /docker-image\.sh/.test(err.hint ?? ''));
  });
});
