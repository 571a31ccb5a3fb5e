// The CLI contract for runs: `finetune run --force --wait --json` blocks until the run ends and
// prints {id, status, version, error}; `finetune models --json` lists {version, current, path}.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/daemonProcess';
import { jsonl, samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

const config = (base: string) => `
finetuning:
  enabled: false
  base_model: ${base}
  runner: local
  method: full
  batch_size: 8
  gradient_accumulation_steps: 1
  learning_rate: 2e-3
  num_epochs: 2
  max_length: 256
`;

describe('finetune run --wait --json (real training)', () => {
  let ws: TestWorkspace;
  afterEach(() => {
    runCli(ws, ['daemon', '--stop']);
    ws.remove();
  });

  it('waits for the run and prints id, status and the version that landed', () => {
    ws = makeWorkspace(config('tiny-random-mistral'));
    ws.write('incoming.jsonl', jsonl(samplesOf('good', 10, 83)));
    assert.equal(runCli(ws, ['daemon', '--detach']).code, 0);
    assert.equal(JSON.parse(runCli(ws, ['ingest', 'incoming.jsonl', '--json']).stdout).accepted, 10);
    const r = runCli(ws, ['run', '--force', '--wait', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.match(out.id, /^run-/);
    assert.equal(out.status, 'succeeded');
    assert.equal(out.version, 'v1');
    const models = JSON.parse(runCli(ws, ['models', '--json']).stdout);
    assert.equal(models.length, 1);
    assert.equal(models[0].version, 'v1');
    assert.equal(models[0].current, true);
    for (const f of ['metadata.json', 'README.md']) assert.ok(fs.existsSync(path.join(models[0].path, f)), f);
  });

  it('exits non-zero with status failed and the error when the run fails', () => {
    ws = makeWorkspace(config('/no/such/model'));
    ws.write('incoming.jsonl', jsonl(samplesOf('good', 6, 89)));
    assert.equal(runCli(ws, ['daemon', '--detach']).code, 0);
    runCli(ws, ['ingest', 'incoming.jsonl']);
    const r = runCli(ws, ['run', '--force', '--wait', '--json']);
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    assert.equal(out.status, 'failed');
    assert.equal(out.version, null);
    assert.equal(typeof out.error, 'string');
    assert.match(out.error, /no\/such\/model/);
  });
});
