// The CLI contract for runs: `finetune run --force --wait --json` blocks until the run ends and
// prints {id, status, version, error}; `finetune models --json` lists {version, current, path}.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, runCli } from '../helpers/daemonProcess';
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

  it('tells the user, and exits non-zero, when the daemon goes away while it waits', async () => {
    ws = makeWorkspace(config('tiny-random-mistral').replace('num_epochs: 2', 'num_epochs: 500'));
    ws.write('incoming.jsonl', jsonl(samplesOf('good', 8, 97)));
    const info = JSON.parse(runCli(ws, ['daemon', '--detach', '--json']).stdout);
    runCli(ws, ['ingest', 'incoming.jsonl']);
    const waiting = spawn(process.execPath, [CLI, 'run', '--force', '--wait', '--workspace', ws.dir], { env: ws.env });
    let stderr = '';
    waiting.stderr.on('data', (d) => (stderr += d));
    // Signal, not sleep: the CLI says the run is queued once the daemon accepted it.
    await new Promise<void>((resolve) => waiting.stderr.on('data', () => stderr.includes('queued') && resolve()));
    process.kill(info.pid, 'SIGKILL');
    const code = await new Promise<number | null>((resolve) => waiting.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /daemon closed the connection/);
    // A new daemon accounts for the run: re-attached (still running) or failed with the reason.
    const again = runCli(ws, ['daemon', '--detach']);
    assert.equal(again.code, 0, again.stderr);
    let run: { status: string; error: { message: string } | null } | undefined;
    for (let i = 0; i < 60; i++) {
      run = JSON.parse(runCli(ws, ['runs', '--json']).stdout)[0];
      if (run!.status !== 'queued') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    if (run!.status === 'running') assert.equal(runCli(ws, ['cancel']).code, 0);
    else assert.match(run!.error?.message ?? '', /gone/, JSON.stringify(run));
  });
});
