// Many processes in one run (finetuning.distributed): the local runner trains the tiny model with
// two data-parallel processes (torchrun, gloo on the CPU) and lands a version whose metadata says
// how it ran.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelsList, RunsDidFinish, RunsStart, SamplesSubmit, type RunSummary } from '../../daemon/protocol';
import { startDaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

const config = `
finetuning:
  enabled: false
  threshold: 10
  base_model: tiny-random-mistral
  runner: local
  gpus: none
  batch_size: 4
  gradient_accumulation_steps: 1
  learning_rate: 1e-2
  num_epochs: 2
  max_length: 256
  eval_split: 0.2
  distributed:
    processes: 2
`;

describe('a run over two processes (local runner, real training)', function () {
  let ws: TestWorkspace;
  afterEach(() => ws?.remove());

  it('lands a version whose metadata.json records "processes": 2 and the effective batch', async () => {
    ws = makeWorkspace(config);
    const daemon = await startDaemonProcess(ws);
    try {
      const c = await daemon.connect();
      for (const s of samplesOf('good', 20, 7)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
      const done = new Promise<RunSummary>((resolve) => c.on(RunsDidFinish, resolve));
      await c.request(RunsStart, { force: true });
      const run = await done;
      assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
      const v1 = (await c.request(ModelsList, {})).find((m) => m.version === 'v1')!;
      const metadata = JSON.parse(fs.readFileSync(path.join(v1.path, 'metadata.json'), 'utf8'));
      assert.equal(metadata.processes, 2);
      assert.equal(metadata.runner, 'local');
      assert.equal(metadata.hyperparameters.effective_batch_size, 8); // 4 × 1 × 2
      assert.deepEqual(metadata.hyperparameters.distributed, { strategy: 'ddp', processes: 2 });
      assert.equal(metadata.metrics.processes, 2, 'the trainer says so too');
      assert.ok(fs.existsSync(path.join(v1.path, 'model.safetensors')), 'rank 0 wrote the merged model');
      c.close();
    } finally {
      await daemon.stop();
    }
  });
});
