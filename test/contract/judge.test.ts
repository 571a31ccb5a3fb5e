import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCodes, JudgeCalibrations, SamplesAnnotate, StatusGet } from '../../daemon/protocol';
import { sampleId } from '../../daemon/store/sampleId';
import { runCli, startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { jsonl, samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

// People's labels measure and calibrate the judge: overrides made by hand on a fresh workspace
// (finetune annotate, and samples/annotate as the editor sends it), a labels file with bad lines,
// calibrate preview / --yes / --revert, and a judge that cannot be reached.

const good = samplesOf('good', 20, 11);
const flawed = samplesOf('flawed', 20, 11);
/** Good and flawed alternate: odd lines (1-based) good, even lines flawed. */
const batch = good.flatMap((g, i) => [g, flawed[i]]);
const labelLine = (s: { input: string; output: string }, human: number) => JSON.stringify({ input: s.input, output: s.output, human });

function json(r: { code: number | null; stdout: string; stderr: string }): Record<string, unknown> {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('finetune judge eval / calibrate (people\'s labels)', function () {
  this.timeout(180_000);
  let ws: TestWorkspace;
  let daemon: DaemonProcess;

  before(async () => {
    ws = makeWorkspace('finetuning:\n  enabled: false\n');
    daemon = await startDaemonProcess(ws);
    ws.write('incoming/batch.jsonl', jsonl(batch));
    assert.equal(runCli(ws, ['ingest', 'incoming/batch.jsonl', '--json']).code, 0);
  });
  after(async () => {
    await daemon.stop();
    ws.remove();
  });

  it('with no labels yet, says how many are needed and how to make them', () => {
    const r = runCli(ws, ['judge', 'eval']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /0 labels \(Accept \/ Reject overrides\); 30 more needed/);
    assert.match(r.stderr, /hint: .*finetune annotate accept\|reject FILE:LINE.*--labels FILE/);
    const j = runCli(ws, ['judge', 'eval', '--json']);
    const err = JSON.parse(j.stdout);
    assert.equal(err.kind, 'too-few-labels');
    assert.equal(err.code, ErrorCodes.TooFewLabels);
    assert.doesNotMatch(j.stdout + j.stderr, /internal error/);
  });

  it('finetune annotate labels FILE:LINE by hand, and counts the labels so far', () => {
    for (let line = 1; line <= 12; line++) {
      const r = runCli(ws, ['annotate', line % 2 ? 'accept' : 'reject', `incoming/batch.jsonl:${line}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^${line % 2 ? 'accepted' : 'rejected'} incoming/batch.jsonl:${line} \\(sample [0-9a-f]{12}\\); ${line} labels? so far`));
    }
    const r = runCli(ws, ['judge', 'eval']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /12 labels \(Accept \/ Reject overrides\); 18 more needed/);
  });

  it('annotate refuses a line that is not a sample, a line past the end, and an unknown verdict, saying why', () => {
    ws.write('incoming/odd.jsonl', `${labelLine(good[0], 1)}\nnot json\n`);
    const bad = runCli(ws, ['annotate', 'accept', 'incoming/odd.jsonl:2']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /incoming\/odd\.jsonl:2 is not a sample: not valid JSON/);
    const past = runCli(ws, ['annotate', 'reject', 'incoming/odd.jsonl:9']);
    assert.match(past.stderr, /past the end of the file \(its last sample is on line 2\)/);
    const verb = runCli(ws, ['annotate', 'approve', 'incoming/odd.jsonl:1']);
    assert.equal(verb.code, 2);
    assert.match(verb.stderr, /unknown annotation "approve"[\s\S]*hint: finetune annotate accept\|reject/);
  });

  it('with 40 labels, eval --json reports the contract fields, even after the labelled lines were edited', async () => {
    // The rest as the editor makes them: samples/annotate with the sample's text.
    const c = await daemon.connect();
    for (let i = 12; i < batch.length; i++) {
      const s = { input: batch[i].input, output: batch[i].output };
      await c.request(SamplesAnnotate, { id: sampleId(s), action: i % 2 ? 'reject' : 'accept', sample: s });
    }
    assert.equal((await c.request(JudgeCalibrations, {})).overrides, 40);
    c.close();
    // The labels keep their text: rewriting the file they came from loses none of them.
    ws.write('incoming/batch.jsonl', jsonl(samplesOf('good', 3, 99)));
    const r = json(runCli(ws, ['judge', 'eval', '--json']));
    assert.equal(r.labels, 40);
    assert.equal(r.base, 0.5);
    for (const k of ['spearman', 'kendall', 'auc', 'precision', 'recall']) assert.equal(typeof r[k], 'number', `${k}: ${r[k]}`);
    assert.ok((r.auc as number) > 0.7, `the heuristic judge tells the generator's flawed samples apart: AUC ${r.auc}`);
    assert.equal(r.source, 'overrides');
    assert.equal(r.missing, 0);
    assert.equal((r.buckets as unknown[]).length, 10);
    assert.equal((r.buckets as { n: number }[]).reduce((s, b) => s + b.n, 0), 40);
    assert.equal((r.gateForPrecision as { target: number }).target, 0.9);
    const text = runCli(ws, ['judge', 'eval', '--precision', '0.8']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /labels {7}40 from Accept \/ Reject overrides/);
    assert.match(text.stdout, /agreement {3}Spearman \d\.\d\d · Kendall \d\.\d\d · ROC AUC \d\.\d\d/);
    assert.match(text.stdout, /gate {8}average > 0\.8, consistency ≥ 0\.8: keeps \d+ of 40; precision/);
    assert.match(text.stdout, /for 0\.80 {4}/);
    assert.match(text.stdout, /0\.9–1\.0 +\d+ +(\d+%|—)/);
  });

  it('a labels file with bad lines: each is listed with its line number, and every good line is used', () => {
    const lines = [...good.map((s) => labelLine(s, 1)), ...flawed.map((s, i) => labelLine(s, i % 3 === 0 ? 0.5 : 0))];
    lines.splice(3, 0, 'not json', JSON.stringify({ input: 'a', output: 'b' }), JSON.stringify({ input: 'a', output: 'b', human: 2 }));
    ws.write('labels.jsonl', lines.join('\n') + '\n');
    const r = json(runCli(ws, ['judge', 'eval', '--labels', 'labels.jsonl', '--json']));
    assert.equal(r.labels, 40);
    assert.equal(r.source, 'labels.jsonl');
    assert.deepEqual((r.invalid as { line: number }[]).map((i) => i.line), [4, 5, 6]);
    assert.match((r.invalid as { error: string }[])[1].error, /missing "human"/);
    assert.match((r.invalid as { error: string }[])[2].error, /"human" must be from 0 to 1 \(1 = accepted\), got 2/);
    const text = runCli(ws, ['judge', 'eval', '--labels', 'labels.jsonl']);
    assert.match(text.stdout, /3 lines skipped:\n +labels\.jsonl:4: not valid JSON/);
    // A file outside the workspace is sent by the CLI.
    const outside = path.join(os.tmpdir(), `ft-labels-${process.pid}.jsonl`);
    fs.writeFileSync(outside, lines.slice(0, 20).join('\n') + '\n');
    try {
      const few = runCli(ws, ['judge', 'eval', '--labels', outside]);
      assert.equal(few.code, 1);
      assert.match(few.stderr, /: 17 usable labels; 13 more needed .* \(3 lines skipped: line 4: not valid JSON/);
      assert.match(few.stderr, /hint: add labelled lines to the file/);
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });

  it('calibrate previews without writing, writes with --yes (the judge version changes), and reverts', async () => {
    const calDir = path.join(ws.dir, 'data', '.flywheel', 'calibration');
    const preview = json(runCli(ws, ['judge', 'calibrate', '--labels', 'labels.jsonl', '--json']));
    assert.equal(preview.applied, false);
    assert.equal(preview.version, null);
    assert.equal(preview.changes, true);
    assert.ok((preview.criteria as { fitted: boolean }[]).some((c) => c.fitted));
    for (const k of ['before', 'after']) assert.equal((preview[k] as { labels: number }).labels, 40);
    assert.ok(!fs.existsSync(calDir), 'a preview writes nothing');
    const piped = runCli(ws, ['judge', 'calibrate', '--labels', 'labels.jsonl']);
    assert.equal(piped.code, 0, piped.stderr);
    assert.match(piped.stdout, /before +after/);
    assert.match(piped.stdout, /not written: confirm with --yes/);

    const c = await daemon.connect();
    const judgeBefore = (await c.request(StatusGet, {})).judge.version;
    const applied = json(runCli(ws, ['judge', 'calibrate', '--labels', 'labels.jsonl', '--yes', '--json']));
    assert.equal(applied.applied, true);
    assert.equal(applied.version, 'v1');
    assert.equal(applied.id, preview.id, 'the same labels give the same calibration');
    const judgeAfter = (await c.request(StatusGet, {})).judge.version;
    assert.notEqual(judgeAfter, judgeBefore, 'a new calibration is a new judge version: cached scores are redone');
    assert.equal((applied.judge as { version: string }).version, judgeAfter, 'the answer names the judge now in use');
    const list = json(runCli(ws, ['judge', 'calibrations', '--json']));
    assert.equal(list.current, 'v1');
    assert.equal((list.inUse as { source: string }).source, 'workspace');
    const evalNow = json(runCli(ws, ['judge', 'eval', '--json']));
    assert.equal((evalNow.calibration as { version: string }).version, 'v1');

    const reverted = runCli(ws, ['judge', 'calibrate', '--revert']);
    assert.equal(reverted.code, 0, reverted.stderr);
    assert.match(reverted.stdout, /reverted v1; the judge now uses its shipped calibration/);
    assert.equal((await c.request(StatusGet, {})).judge.version, judgeBefore);
    c.close();
    const again = runCli(ws, ['judge', 'calibrate', '--revert']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already uses its shipped calibration[\s\S]*hint: see the saved versions with "finetune judge calibrations"/);
    assert.deepEqual(fs.readdirSync(calDir).sort(), ['current.json', 'v1.json'], 'the version stays on disk after a revert');
  });
});

describe('finetune judge eval with a judge that cannot be reached', function () {
  this.timeout(120_000);
  let ws: TestWorkspace;
  let daemon: DaemonProcess;

  before(async () => {
    const port = await closedPort();
    ws = makeWorkspace(`finetuning:\n  enabled: false\njudge:\n  provider: openai\n  openai:\n    base_url: "http://127.0.0.1:${port}/v1"\n    model: "m"\n    max_retries: 0\n    timeout_ms: 2000\n`);
    ws.env.OPENAI_API_KEY = 'test-key';
    daemon = await startDaemonProcess(ws);
  });
  after(async () => {
    await daemon.stop();
    ws.remove();
  });

  it('says the judge is unreachable, with its hint, instead of an internal error', () => {
    ws.write('labels.jsonl', [...good, ...flawed].map((s, i) => labelLine(s, i < 20 ? 1 : 0)).join('\n') + '\n');
    const started = Date.now();
    const r = runCli(ws, ['judge', 'eval', '--labels', 'labels.jsonl']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^finetune judge: .*127\.0\.0\.1/m);
    assert.match(r.stderr, /\n {2}hint: /);
    assert.doesNotMatch(r.stderr, /internal error/);
    assert.ok(Date.now() - started < 60_000, 'it stops at the first batch rather than trying every label');
    const j = JSON.parse(runCli(ws, ['judge', 'eval', '--labels', 'labels.jsonl', '--json']).stdout);
    assert.equal(j.kind, 'judge');
    assert.equal(j.code, ErrorCodes.Judge);
  });
});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
