import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive } from '../../daemon/shared/instanceLock';
import { runCli } from '../helpers/daemonProcess';
import { jsonl, samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

describe('finetune CLI contract', () => {
  let ws: TestWorkspace;
  let pid = 0;

  before(() => {
    ws = makeWorkspace('finetuning:\n  threshold: 10\n');
  });
  after(() => {
    if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
    ws.remove();
  });

  it('says how to start a daemon when none runs', () => {
    const r = runCli(ws, ['status', '--json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /finetune daemon --detach/);
  });

  it('daemon --detach --json returns once the daemon answers, with socket, pid and metrics', () => {
    const r = runCli(ws, ['daemon', '--detach', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    pid = info.pid;
    assert.ok(fs.existsSync(info.socket));
    assert.ok(isAlive(info.pid));
    assert.match(info.metrics, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    // A second --detach finds the running one instead of starting another.
    assert.equal(JSON.parse(runCli(ws, ['daemon', '--detach', '--json']).stdout).pid, info.pid);
  });

  it('ingest --json counts accepted, rejected, duplicates and lists invalid lines', () => {
    const good = samplesOf('good', 4);
    const bad = samplesOf('flawed', 2);
    const text = jsonl([...good, ...bad]) + 'not json\n{"input": "only input"}\n' + jsonl([good[0]]);
    ws.write('incoming/batch.jsonl', text);
    const r = runCli(ws, ['ingest', 'incoming/batch.jsonl', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.accepted, 4);
    assert.equal(out.rejected, 2);
    assert.equal(out.duplicates, 1);
    assert.deepEqual(out.invalid.map((i: { line: number }) => i.line), [7, 8]);
    assert.match(out.invalid[1].error, /output/);
    // Only the good ones were stored, once each.
    const stored = ws.read('data/finetuning_dataset.jsonl').trim().split('\n');
    assert.equal(stored.length, 4);
  });

  it('ingest reads a file outside the workspace too', () => {
    const outside = path.join(os.tmpdir(), `ft-outside-${process.pid}.jsonl`);
    fs.writeFileSync(outside, jsonl(samplesOf('good', 6).slice(4)));
    const r = runCli(ws, ['ingest', outside, '--json']);
    fs.rmSync(outside);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).accepted, 2);
  });

  it('status --json shows collected, threshold and remaining', () => {
    const s = JSON.parse(runCli(ws, ['status', '--json']).stdout);
    assert.equal(s.collected, 6);
    assert.equal(s.threshold, 10);
    assert.equal(s.remaining, 4);
  });

  it('assess --json prints one line per input line, in order, without storing', () => {
    const [good] = samplesOf('good', 1, 99);
    const [bad] = samplesOf('flawed', 1, 99);
    ws.write('incoming/check.jsonl', jsonl([good]) + '{"input": 1, "output": "x"}\n' + jsonl([bad]));
    const r = runCli(ws, ['assess', 'incoming/check.jsonl', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.line), [1, 2, 3]);
    assert.equal(lines[0].verdict, 'accepted');
    assert.ok(lines[0].average > 0.8);
    assert.deepEqual(Object.keys(lines[0].scores).sort(), ['coherence', 'consistency', 'fluency', 'relevance']);
    assert.match(lines[1].error, /"input" must be a string/);
    assert.equal(lines[2].verdict, 'rejected');
    assert.equal(JSON.parse(runCli(ws, ['status', '--json']).stdout).collected, 6);
  });

  it('run below the threshold exits non-zero with the numbers', () => {
    const r = runCli(ws, ['run']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /6 of 10 .*4 more/);
  });

  it('daemon --stop stops it cleanly', () => {
    const r = runCli(ws, ['daemon', '--stop', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).stopped, true);
    assert.equal(isAlive(pid), false);
  });
});
