// (f) A daemon dies mid-run (a child process killed with -9); a new DockerRunner — as after a
// restart — re-attaches to the running container, or collects one that ended meanwhile; a retried
// start with the same run id adopts the existing container (409) instead of starting a second run.
import { strict as assert } from 'node:assert';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { containerUser, createOptions } from '../../daemon/runs/runners/docker/containerConfig';
import type { RunSpec } from '../../daemon/runs/runners/types';
import { containersOf, dockerTier, IMAGE, Recorder, removeWorkspace, ROOT, runner, runSpec, type Tier, trainerArgs, workspace } from './harness';

/** Starts `spec` from a separate "daemon" process and kills it -9 once it printed `killAt`. */
async function startThenCrash(t: Tier, spec: RunSpec, killAt: string): Promise<void> {
  const child: ChildProcess = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'crashingDaemon.ts'), t.socketPath, IMAGE, JSON.stringify(spec)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.split('\n').includes(killAt)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the crashing daemon exited (${code}) before "${killAt}": ${err}`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('close', resolve));
}

describe('docker tier: reconcile after a daemon restart', function () {
  let t: Tier;
  let ws: ReturnType<typeof workspace>;
  before(async function () {
    t = await dockerTier();
  });
  beforeEach(() => (ws = workspace(30)));
  afterEach(async function () {
    for (const c of await containersOf(t, ws.dir)) await t.docker.getContainer(c.Id).remove({ force: true });
    removeWorkspace(ws.dir);
  });

  it('(f) re-attaches to a running run, replays its events, and sees it succeed', async function () {
    const spec = runSpec(ws, { trainerArgs: trainerArgs(150, ['--logging-steps', '10']) });
    await startThenCrash(t, spec, 'progress');
    const [c] = await containersOf(t, ws.dir);
    assert.equal(c.State, 'running', 'the run outlives its daemon');

    const other = workspace(5); // another workspace's runs are not ours to reconcile
    try {
      const fresh = await runner(t);
      const rec = new Recorder();
      const asked: string[] = [];
      const found = await fresh.reconcile(ws.dir, (id) => (asked.push(id), rec));
      assert.equal(found.length, 1);
      assert.equal(found[0].runId, spec.runId);
      assert.equal(found[0].state, 'running');
      assert.deepEqual(asked, [spec.runId]);
      const exit = await found[0].handle!.wait();
      assert.deepEqual([exit.status, exit.exitCode, exit.used?.processes], ['succeeded', 0, 1]);
      assert.match(String((exit.used?.image as { id?: string } | undefined)?.id), /^sha256:/, 're-attached, it still knows the image');
      const names = rec.names();
      assert.equal(names.filter((n) => n === 'started').length, 1, 'replayed from the start, once');
      assert.ok(names.includes('progress'));
      assert.equal(names.at(-1), 'completed');
      assert.ok(fs.existsSync(path.join(ws.outputDir, 'model.safetensors')));
      assert.deepEqual(await containersOf(t, ws.dir), []);
      assert.deepEqual(await fresh.reconcile(other.dir, () => new Recorder()), []);
    } finally {
      removeWorkspace(other.dir);
    }
  });

  it('collects a run that ended while no daemon was there, and removes its container', async function () {
    const spec = runSpec(ws, { resources: { memoryBytes: 64 * 1024 ** 2 } }); // ends quickly, OOM-killed
    await startThenCrash(t, spec, 'handle');
    const container = t.docker.getContainer(`finetune-${spec.runId}`);
    while ((await container.inspect()).State.Running) await new Promise((r) => setTimeout(r, 200));

    const found = await (await runner(t)).reconcile(ws.dir, () => new Recorder());
    assert.equal(found.length, 1);
    assert.equal(found[0].state, 'exited');
    assert.equal(found[0].handle, undefined);
    assert.equal(found[0].exit?.status, 'failed');
    assert.match(found[0].exit!.error!.message, /^out of memory/);
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it('a cancel through a re-attached handle works like any other', async function () {
    const spec = runSpec(ws, { trainerArgs: trainerArgs(5000, ['--logging-steps', '5']) });
    await startThenCrash(t, spec, 'progress');
    const [found] = await (await runner(t)).reconcile(ws.dir, () => new Recorder());
    await found.handle!.cancel();
    const exit = await found.handle!.wait();
    assert.equal(exit.status, 'cancelled');
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it('a retried start of the same run adopts its container (409) instead of running it twice', async function () {
    const spec = runSpec(ws, { trainerArgs: trainerArgs(100, ['--logging-steps', '10']) });
    await startThenCrash(t, spec, 'started');
    const rec = new Recorder();
    const handle = await (await runner(t)).start(spec, rec);
    const exit = await handle.wait();
    assert.equal(exit.status, 'succeeded');
    assert.equal(rec.names().filter((n) => n === 'started').length, 1, 'one run, not two');
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it('a container that was created but never started: start() adopts and starts it; reconcile() frees the name', async function () {
    const made = (spec: RunSpec) =>
      t.docker.createContainer(createOptions(spec, { image: IMAGE, user: containerUser(), stopTimeoutS: 30, pidsLimit: 4096, shmBytes: 2 ** 28 }));
    if (process.getuid?.() === 0) fs.chownSync(ws.outputDir, 1000, 1000);
    const spec = runSpec(ws);
    await made(spec);
    const rec = new Recorder();
    const exit = await (await (await runner(t)).start(spec, rec)).wait();
    assert.equal(exit.status, 'succeeded');
    assert.ok(rec.names().includes('started'), 'attached before it was started: nothing lost');

    const spec2 = runSpec(ws);
    await made(spec2);
    const found = await (await runner(t)).reconcile(ws.dir, () => new Recorder());
    assert.equal(found.length, 1);
    assert.equal(found[0].state, 'exited');
    assert.match(found[0].exit!.error!.message, /never started/);
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it("a container with the run's name that is not this run's is a conflict, not adopted", async function () {
    const spec = runSpec(ws);
    const squatter = await t.docker.createContainer({ name: `finetune-${spec.runId}`, Image: IMAGE, Cmd: ['true'], Labels: { 'flywheel.run-id': 'someone-else' } });
    try {
      await assert.rejects((await runner(t)).start(spec, new Recorder()), (err: Error & { kind?: string }) => err.kind === 'conflict' && /does not belong/.test(err.message));
    } finally {
      await squatter.remove({ force: true });
    }
  });
});
