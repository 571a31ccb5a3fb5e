// The seed's TypeScript call, embedded in-process: finetuneModel() on a dataset file resolves
// with the run's result, and the version lands under the requested output folder.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startDaemon, type RunningDaemon } from '../../daemon/Daemon';
import { jsonl, samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

describe('RunService.finetuneModel (in-process)', () => {
  let ws: TestWorkspace;
  let daemon: RunningDaemon | undefined;
  const saved = process.env.FINETUNE_RUNTIME_DIR;

  before(async () => {
    ws = makeWorkspace('finetuning:\n  enabled: false\n  runner: local\n  method: full\n  learning_rate: 2e-3\n  num_epochs: 3\n  batch_size: 8\n  gradient_accumulation_steps: 1\n  max_length: 256\n');
    ws.write('data/finetuning_dataset.jsonl', jsonl(samplesOf('good', 16, 53)));
    process.env.FINETUNE_RUNTIME_DIR = ws.runtimeDir;
    daemon = await startDaemon(ws.dir);
  });
  after(async () => {
    await daemon?.stop();
    if (saved === undefined) delete process.env.FINETUNE_RUNTIME_DIR;
    else process.env.FINETUNE_RUNTIME_DIR = saved;
    ws.remove();
  });

  it('resolves to the run result with status, version, metrics, duration and logs path', async () => {
    const result = await daemon!.finetuning.finetuneModel({
      taskType: 'summarization',
      datasetPath: 'data/finetuning_dataset.jsonl',
      baseModel: 'tiny-random-mistral',
      outputDir: 'models/mistral-7b-finetuned',
    });
    assert.equal(result.status, 'succeeded', JSON.stringify(result.error));
    assert.equal(result.version, 'v1');
    assert.ok(result.path?.startsWith(path.join(ws.dir, 'models', 'mistral-7b-finetuned')), result.path ?? '');
    assert.ok(fs.existsSync(path.join(result.path!, 'metadata.json')));
    assert.equal(typeof (result.metrics as { after: { eval_loss: number } }).after.eval_loss, 'number');
    assert.ok(result.durationSeconds > 0);
    assert.ok(fs.readFileSync(result.logsPath, 'utf8').includes(result.id));
  });
});
