// The whole path a user takes: config/models.yml names the llama.cpp server as the judge, the daemon
// runs as a real process, and `finetune assess FILE --json` prints the server's scores.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { OpenAIJudge } from '../../daemon/judge/openai/OpenAIJudge';
import { CLI, runCli, startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { jsonl, samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { freePort, LlamaServer, MODEL_ALIAS } from './LlamaServer';
import { requireLlmEnv } from './llmEnv';
import { RecordingProxy } from './RecordingProxy';

function judgeConfig(baseUrl: string): string {
  return [
    'judge:',
    '  provider: openai',
    '  openai:',
    `    base_url: "${baseUrl}"`,
    `    model: "${MODEL_ALIAS}"`,
    '    api_key_env: "FINETUNE_TEST_NO_KEY"',
    '    timeout_ms: 30000',
    '    max_retries: 1',
    '    concurrency: 2',
    '',
  ].join('\n');
}

describe('the daemon judging with a real llama.cpp server (judge.provider: openai)', function () {
  let server: LlamaServer;
  let ws: TestWorkspace | undefined;
  let daemon: DaemonProcess | undefined;

  before(async function () {
    const env = await requireLlmEnv(this);
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run "npm run build" first`);
    server = await LlamaServer.start(env);
  });
  let proxy: RecordingProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await daemon?.stop();
    ws?.remove();
    daemon = ws = undefined;
  });
  after(() => server?.stop());

  it('finetune assess FILE --json prints, for every line, the scores the server gave', async () => {
    ws = makeWorkspace(judgeConfig(server.baseUrl));
    daemon = await startDaemonProcess(ws);
    const samples = [...samplesOf('good', 1, 41), ...samplesOf('flawed', 1, 41)];
    ws.write('incoming/check.jsonl', jsonl([samples[0]]) + 'not json\n' + jsonl([samples[1]]));

    const r = runCli(ws, ['assess', 'incoming/check.jsonl', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.line), [1, 2, 3]);
    assert.ok(lines[1].error, 'the invalid line is reported, not judged');

    // The same judge in this process, against the same server: the daemon's numbers are the server's.
    const local = new OpenAIJudge({ baseUrl: server.baseUrl, model: MODEL_ALIAS, timeoutMs: 30_000, maxRetries: 1, concurrency: 1, samples: 1 });
    for (const [line, sample] of [[lines[0], samples[0]], [lines[2], samples[1]]] as const) {
      const want = await local.judge(sample, 'summarization');
      assert.deepEqual(Object.keys(line.scores).sort(), Object.keys(want.scores).sort());
      for (const [name, score] of Object.entries(want.scores)) {
        assert.ok(Math.abs(line.scores[name] - score) < 1e-4, `line ${line.line} ${name}: daemon ${line.scores[name]}, server ${score}`);
      }
      assert.ok(['accepted', 'rejected'].includes(line.verdict), JSON.stringify(line));
    }
  });

  it('a judge server that is not running: each line says which URL to start or fix', async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}/v1`;
    ws = makeWorkspace(judgeConfig(deadUrl));
    daemon = await startDaemonProcess(ws);
    ws.write('incoming/check.jsonl', jsonl(samplesOf('good', 2, 42)));
    const r = runCli(ws, ['assess', 'incoming/check.jsonl', '--json']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.line), [1, 2], `${r.stdout}\n${r.stderr}`);
    for (const line of lines) {
      assert.ok(line.error.startsWith(`cannot connect to the judge at ${deadUrl}: connection refused`), line.error);
      assert.match(line.error, /Start it, or fix judge\.openai\.base_url/);
    }
  });

  it('Ctrl-C in "finetune judge eval" stops the daemon calling the judge server, and the daemon keeps answering', async () => {
    proxy = await RecordingProxy.start(server.baseUrl);
    ws = makeWorkspace(judgeConfig(proxy.baseUrl));
    daemon = await startDaemonProcess(ws);
    const labels = [...samplesOf('good', 150, 51).map((s) => ({ ...s, human: 1 })), ...samplesOf('flawed', 150, 51).map((s) => ({ ...s, human: 0 }))];
    ws.write('labels.jsonl', labels.map((l) => JSON.stringify({ input: l.input, output: l.output, human: l.human })).join('\n') + '\n');
    const cli = spawn(process.execPath, [CLI, 'judge', 'eval', '--labels', 'labels.jsonl', '--workspace', ws.dir], { env: ws.env, cwd: ws.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    cli.stdout.on('data', (d: Buffer) => (output += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    try {
      for (let waited = 0; proxy.formats.length < 4; waited += 100) {
        assert.ok(waited < 30_000, `the judge server got no request within 30 s; the CLI said: ${output}`);
        await sleep(100);
      }
      cli.kill('SIGINT');
      await exited;
      // Requests already sent may still arrive (at most judge.openai.concurrency, with retries); then none.
      await sleep(3_000);
      const settled = proxy.formats.length;
      await sleep(3_000);
      assert.equal(proxy.formats.length, settled, 'the daemon went on judging labels for a client that left');
      assert.ok(settled < labels.length, `all ${labels.length} labels were judged: the eval ended before it could be stopped`);
      const status = runCli(ws, ['status', '--json']);
      assert.equal(status.code, 0, status.stderr);
    } finally {
      cli.kill('SIGKILL');
    }
  });
});
