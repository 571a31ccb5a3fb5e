// (e) GPUs on an engine without the NVIDIA runtime (this one): asking for them fails fast with
// what to install, unless the run may fall back to the CPU; `auto` quietly uses the CPU.
import { strict as assert } from 'node:assert';
import { GPU_TOOLKIT_HINT } from '../../daemon/runs/runners/docker';
import type { DockerRunner } from '../../daemon/runs/runners/docker';
import { RunnerError } from '../../daemon/runs/runners/types';
import { containersOf, dockerTier, Recorder, removeWorkspace, runner, runSpec, type Tier, workspace } from './harness';

describe('docker tier: GPUs without the NVIDIA Container Toolkit', function () {
  let t: Tier;
  let r: DockerRunner;
  let ws: ReturnType<typeof workspace>;
  before(async function () {
    t = await dockerTier();
    const info = await t.docker.info();
    if (info.Runtimes?.nvidia) this.skip(); // these tests are about an engine with no NVIDIA runtime
    r = await runner(t);
  });
  beforeEach(() => (ws = workspace(20)));
  afterEach(async function () {
    for (const c of await containersOf(t, ws.dir)) await t.docker.getContainer(c.Id).remove({ force: true });
    removeWorkspace(ws.dir);
  });

  const isToolkitError = (err: unknown) => {
    assert.ok(err instanceof RunnerError, String(err));
    assert.equal(err.kind, 'no_gpu_support');
    assert.match(err.message, /GPUs were requested/);
    assert.equal(err.hint, GPU_TOOLKIT_HINT);
    assert.match(err.hint!, /NVIDIA Container Toolkit/);
    assert.match(err.hint!, /finetuning\.gpus: none/);
    assert.match(err.hint!, /cpu_fallback: true/);
    return true;
  };

  it("gpus: 'all' and gpus: 2 fail fast with the toolkit message, creating nothing", async function () {
    for (const gpus of ['all', 2] as const) {
      const started = Date.now();
      await assert.rejects(r.start(runSpec(ws, { resources: { gpusPerNode: gpus } }), new Recorder()), isToolkitError);
      assert.ok(Date.now() - started < 2000, 'fast');
    }
    assert.deepEqual(await containersOf(t, ws.dir), []);
  });

  it("the engine's own refusal (HTTP 500 could not select device driver) is mapped to the same message", async function () {
    // checkNvidiaRuntime: false sends the DeviceRequest and lets this engine refuse it.
    const trusting = await runner(t, { checkNvidiaRuntime: false });
    await assert.rejects(trusting.start(runSpec(ws, { resources: { gpusPerNode: 'all' } }), new Recorder()), (err: unknown) => {
      isToolkitError(err);
      assert.match((err as Error).message, /could not select device driver "nvidia"/);
      return true;
    });
    assert.deepEqual(await containersOf(t, ws.dir), [], 'the container that could not start was removed');
  });

  it('with cpuFallback the run trains on the CPU and says so (pre-check and engine refusal alike)', async function () {
    for (const trusting of [false, true]) {
      const rr = await runner(t, { checkNvidiaRuntime: !trusting, cpuFallback: true });
      const rec = new Recorder();
      const exit = await (await rr.start(runSpec(ws, { resources: { gpusPerNode: 'all' } }), rec)).wait();
      assert.equal(exit.status, 'succeeded', JSON.stringify(exit));
      assert.equal(rec.events.find((e) => e.event === 'started')?.device, 'cpu');
      assert.ok(rec.stderr().some((l) => /training on the CPU \(finetuning\.docker\.cpu_fallback: true\)/.test(l)), rec.stderr().join('\n'));
      assert.deepEqual(await containersOf(t, ws.dir), []);
    }
  });

  it('activeGpuRuns() lists running containers labelled as holding GPUs, from any workspace', async function () {
    assert.deepEqual(await r.activeGpuRuns(), []);
    const c = await t.docker.createContainer({ Image: 'flywheel-base:bookworm', Cmd: ['sleep', '60'], Labels: { 'flywheel.gpu': '1', 'flywheel.run-id': 'gpu-run', 'flywheel.workspace': ws.dir } });
    try {
      await c.start();
      assert.deepEqual(await r.activeGpuRuns(), [{ runId: 'gpu-run', workspace: ws.dir }]);
    } finally {
      await c.remove({ force: true });
    }
  });

  it("gpus: 'auto' uses the CPU when there is no NVIDIA runtime", async function () {
    const rec = new Recorder();
    const exit = await (await r.start(runSpec(ws, { resources: { gpusPerNode: 'auto' } }), rec)).wait();
    assert.equal(exit.status, 'succeeded');
    assert.equal(rec.events.find((e) => e.event === 'started')?.device, 'cpu');
    assert.ok(rec.stderr().some((l) => /no NVIDIA runtime/.test(l)));
  });
});
