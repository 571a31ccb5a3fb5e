import { strict as assert } from 'node:assert';
import { defaultConfig } from '../../../daemon/config/schema';
import { effectiveConfigOf } from '../../../daemon/config/effective';
import { duration, excerpt, metric, percent, plural } from '../../../extension/format';
import { isAboutRun, parseLogFile, runLogText } from '../../../extension/logs/runLogText';
import { panelConfigOf } from '../../../extension/runPanel/panelConfig';
import { describeComparison, headlineMetric } from '../../../extension/views/metrics';
import { pickFolder } from '../../../extension/workspaceFolder';
import { describeError } from '../../../extension/errors';
import { aRun } from './fixtures';

describe('extension text helpers', () => {
  it('formats counts, durations, percentages, metrics and excerpts', () => {
    assert.equal(plural(1, 'sample'), '1 sample');
    assert.equal(plural(1234, 'sample'), '1,234 samples');
    assert.equal(duration(44_000), '44s');
    assert.equal(duration(134_000), '2m 14s');
    assert.equal(duration(3_900_000), '1h 05m');
    assert.equal(percent(21, 50), 42);
    assert.equal(percent(1, 0), undefined);
    assert.equal(metric(5.085957050323486), '5.086');
    assert.equal(metric(0.0000123), '1.230e-5');
    assert.equal(excerpt('  a\n b  ', 10), 'a b');
    assert.equal(excerpt('abcdefghijkl', 5), 'abcd…');
  });

  it('picks the metric to lead with, lower-is-better for losses', () => {
    const h = headlineMetric({ after: { rougeL: 0.4, eval_samples: 6 }, before: { rougeL: 0.2 } })!;
    assert.deepEqual(h, { name: 'rougeL', after: 0.4, before: 0.2, better: 'max' });
    assert.equal(describeComparison(h), 'rougeL 0.4 (was 0.2, +100.0%)');
    assert.equal(headlineMetric({ after: { eval_loss: 1 } })!.better, 'min');
    assert.equal(headlineMetric(undefined), undefined);
  });

  it('describes a daemon error with its hint', () => {
    assert.equal(describeError({ code: 1500, message: 'no version v9', data: { kind: 'version-not-found', hint: 'list versions with "finetune models"' } }), 'no version v9. List versions with "finetune models".');
    assert.equal(describeError(new Error('boom')), 'boom');
  });

  it("maps the daemon's effective config (config/get) to the run panel configuration", () => {
    const c = panelConfigOf(effectiveConfigOf(defaultConfig()));
    assert.deepEqual(Object.keys(c).sort(), ['autoRun', 'baseModel', 'batchSize', 'epochs', 'learningRate', 'method', 'runner', 'task', 'threshold']);
    assert.equal(c.threshold, 100);
    assert.equal(c.task, 'summarization');
  });

  it("writes a run's log from the entries about it", () => {
    const run = aRun({ status: 'failed', endedAt: '2026-11-25T09:13:06.000Z', error: { message: 'exit 1' } });
    const about = { seq: 1, time: 't1', level: 'info' as const, event: 'run.start', message: `run ${run.id}: training` };
    const other = { seq: 2, time: 't2', level: 'info' as const, event: 'ingest.done', message: 'data/a.jsonl: 3 kept' };
    const byField = { seq: 3, time: 't3', level: 'error' as const, event: 'run.error', message: 'trainer died', fields: { run: run.id } };
    assert.ok(isAboutRun(byField, run.id));
    const text = runLogText(run.id, run, [about, other, byField], '/ws/logs/finetuning.log');
    assert.match(text, /# failed after 1m 00s/);
    assert.match(text, /# error: exit 1/);
    assert.match(text, /t1 INFO  \[run\.start\]/);
    assert.match(text, /t3 ERROR \[run\.error\] trainer died/);
    assert.ok(!text.includes('3 kept'));
    assert.match(runLogText('r0', undefined, [], undefined), /no entries about this run in the daemon's recent log/);
    const file = [JSON.stringify(about), 'not json', JSON.stringify({ seq: 'x' }), JSON.stringify(byField), '{"seq":4,"ti'].join('\n');
    assert.deepEqual(parseLogFile(file).map((e) => e.seq), [1, 3]);
  });

  it('serves the folder with config/models.yml, else the first', () => {
    assert.equal(pickFolder(['a', 'b', 'c'], (f) => f === 'b'), 'b');
    assert.equal(pickFolder(['a', 'b'], () => false), 'a');
    assert.equal(pickFolder([], () => true), undefined);
  });
});
