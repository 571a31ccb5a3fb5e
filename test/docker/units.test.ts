// The docker runner's pure parts, without an engine: line reassembly across Docker frames, exit
// classification, GPU planning, container settings.
import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { createOptions, validateSpec } from '../../daemon/runs/runners/docker/containerConfig';
import { exitOfContainer, OOM_MESSAGE } from '../../daemon/runs/runners/docker/exitStatus';
import { planGpus } from '../../daemon/runs/runners/docker/gpus';
import { LineSplitter, OutputMemory, pipeToListener } from '../../daemon/runs/runners/docker/streams';
import { RunnerError, type RunSpec } from '../../daemon/runs/runners/types';
import { completedEvent, failedEvent, startedEvent } from '../helpers/trainerEvents';
import { Recorder, removeWorkspace, workspace } from './harness';

function frame(stream: 1 | 2, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('docker runner units', function () {
  describe('LineSplitter', function () {
    const text = '{"event":"progress","note":"café 🙂"}\r\nplain line\n{"event":"completed"}\nno newline at the end';
    const want = ['{"event":"progress","note":"café 🙂"}', 'plain line', '{"event":"completed"}', 'no newline at the end'];

    it('gives the same lines however the bytes are cut (UTF-8 sequences included)', function () {
      const bytes = Buffer.from(text);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const s = new LineSplitter();
        const lines = [...s.push(bytes.subarray(0, cut)), ...s.push(bytes.subarray(cut)), ...s.end()];
        assert.deepEqual(lines, want, `cut at ${cut}`);
      }
      const s = new LineSplitter();
      const oneByOne = [...bytes].flatMap((b) => s.push(Buffer.from([b])));
      assert.deepEqual([...oneByOne, ...s.end()], want);
    });

    it('passes an endless line on in bounded pieces', function () {
      const s = new LineSplitter(10);
      assert.deepEqual(s.push('a'.repeat(25)), ['a'.repeat(10), 'a'.repeat(10)]);
      assert.deepEqual(s.end(), ['aaaaa']);
    });
  });

  it('pipeToListener: an event split across frames and chunks arrives once, stdout and stderr apart', async function () {
    const modem = new Docker({ socketPath: '/nonexistent.sock' }).modem;
    const event = Buffer.from(`${JSON.stringify(startedEvent())}\n${JSON.stringify(failedEvent('r', 'h'))}\n`);
    const all = Buffer.concat([
      frame(1, event.subarray(0, 7)),
      frame(2, Buffer.from('warning: x\nTraceback')),
      frame(1, event.subarray(7, 50)),
      frame(2, Buffer.from(' (most recent call last)\n')),
      frame(1, event.subarray(50)),
    ]);
    const source = new PassThrough();
    const rec = new Recorder();
    const memory = new OutputMemory();
    const done = pipeToListener(modem, source, rec, memory);
    for (let i = 0; i < all.length; i += 5) source.write(all.subarray(i, i + 5));
    source.end();
    await done;
    assert.deepEqual(rec.names(), ['started', 'failed']);
    assert.deepEqual(rec.stderr(), ['warning: x', 'Traceback (most recent call last)']);
    assert.equal(memory.lastFinal?.event, 'failed');
    assert.deepEqual(memory.stderrTail(), ['warning: x', 'Traceback (most recent call last)']);
  });

  describe('exitOfContainer', function () {
    const base = { exitCode: 0, oomKilled: false, cancelRequested: false, stderrTail: [] as string[] };
    const completed = completedEvent();
    const failed = failedEvent('GPU out of memory', 'lower --batch-size', 'gpu_oom');

    it('completed → succeeded', () => assert.deepEqual(exitOfContainer({ ...base, lastFinal: completed }), { status: 'succeeded', exitCode: 0, used: { processes: 1 } }));
    it('137 + OOMKilled → the out-of-memory message', () => {
      const exit = exitOfContainer({ ...base, exitCode: 137, oomKilled: true });
      assert.equal(exit.status, 'failed');
      assert.equal(exit.error?.message, OOM_MESSAGE);
    });
    it('our cancel is cancelled, even with 137 + OOMKilled', () => {
      assert.equal(exitOfContainer({ ...base, exitCode: 137, oomKilled: true, cancelRequested: true }).status, 'cancelled');
    });
    it("the trainer's failed event wins over the container's signature", () => {
      assert.deepEqual(exitOfContainer({ ...base, exitCode: 1, oomKilled: true, lastFinal: failed }).error, { message: failed.reason, hint: failed.hint });
    });
    it('a crash names its signal and the last stderr line', () => {
      const exit = exitOfContainer({ ...base, exitCode: 139, stderrTail: ['loading', 'Fatal Python error: Segmentation fault'] });
      assert.match(exit.error!.message, /SIGSEGV.*exit code 139.*Fatal Python error/);
    });
    it('a bus error in shared memory says to raise shm_size', () => {
      const exit = exitOfContainer({ ...base, exitCode: 1, stderrTail: ['ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient shared memory (shm).'] });
      assert.match(exit.error!.hint!, /shm_size/);
    });
    it('a stall says so', () => {
      assert.match(exitOfContainer({ ...base, exitCode: 3, stalledMs: 600_000 }).error?.message ?? '', /^stalled: .*10 minutes/);
    });
  });

  it('planGpus', function () {
    const all = { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] };
    assert.deepEqual(planGpus('none', false, true), {});
    assert.deepEqual(planGpus('auto', false, true), { deviceRequests: [all] });
    assert.deepEqual(planGpus('all', false, true), { deviceRequests: [all] });
    assert.deepEqual(planGpus(2, false, true), { deviceRequests: [{ ...all, Count: 2 }] });
    assert.match(planGpus('auto', false, false).note!, /training on the CPU/);
    assert.match(planGpus('all', true, false).note!, /cpu_fallback: true/);
    assert.deepEqual(planGpus('all', false, false, true), { deviceRequests: [all] });
    assert.throws(() => planGpus('all', false, false), (e: unknown) => e instanceof RunnerError && e.kind === 'no_gpu_support');
    assert.throws(() => planGpus(-1, false, true), (e: unknown) => e instanceof RunnerError && e.kind === 'invalid_spec');
  });

  it('createOptions: hardening, limits, labels, network', function () {
    const ws = workspace(2);
    try {
      const spec: RunSpec = {
        runId: 'r1', workspace: ws.dir, dataDir: ws.dataDir, snapshotFile: ws.snapshotFile, outputDir: ws.outputDir,
        trainerArgs: ['--task', 'qa'], env: { HF_TOKEN: 'secret' }, resources: { gpusPerNode: 'none', nodes: 1, processes: 2, strategy: 'ddp' },
      };
      validateSpec(spec);
      const o = createOptions(spec, { image: 'img', user: '1000:1000', stopTimeoutS: 30, pidsLimit: 100, shmBytes: 2 ** 31, memoryBytes: 2 ** 30 });
      assert.equal(o.name, 'finetune-r1');
      // The processes run in this one container: the trainer starts torchrun itself.
      assert.deepEqual(o.Cmd, ['python', 'finetune.py', '--task', 'qa', '--processes', '2', '--strategy', 'ddp']);
      assert.ok(o.Env!.includes('HF_TOKEN=secret'));
      assert.deepEqual(o.Labels, { 'flywheel.run-id': 'r1', 'flywheel.workspace': ws.dir, 'flywheel.gpu': '0', 'flywheel.output-dir': ws.outputDir });
      const hc = o.HostConfig!;
      assert.equal(hc.ShmSize, 2 ** 31);
      assert.equal(hc.MemorySwap, 2 ** 30);
      assert.equal(hc.NetworkMode, undefined, 'online run: the engine default');
      assert.equal(hc.DeviceRequests, undefined);
      const offline = createOptions({ ...spec, env: { HF_HUB_OFFLINE: '1' }, modelCacheDir: ws.dir }, { image: 'img', stopTimeoutS: 30, pidsLimit: 100, shmBytes: 1 });
      assert.equal(offline.HostConfig!.NetworkMode, 'none');
      assert.ok(offline.HostConfig!.Binds!.includes(`${ws.dir}:/cache/hf:rw`));
    } finally {
      removeWorkspace(ws.dir);
    }
  });
});
