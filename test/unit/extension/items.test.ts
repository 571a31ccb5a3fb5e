import { strict as assert } from 'node:assert';
import { assessment, type SampleRow } from '../../../daemon/protocol';
import { datasetItem, effectiveVerdict, loadMoreItem, sampleItem } from '../../../extension/views/datasetItems';
import { modelItem } from '../../../extension/views/modelItems';
import { runItem } from '../../../extension/views/runItems';
import { aRun, aVersion } from './fixtures';

function aSample(over: Partial<SampleRow> = {}): SampleRow {
  return {
    line: 12,
    id: 'abcdef0123456789abcdef',
    input: 'The council approved the new budget on Tuesday after a long debate about schools and roads.',
    output: 'The council approved the budget.',
    assessment: assessment.parse({
      id: 'abcdef0123456789abcdef',
      task: 'summarization',
      scores: { coherence: 0.9, consistency: 0.85, fluency: 0.95, relevance: 0.8 },
      rationale: { coherence: 'reads well', consistency: 'no invented facts', fluency: '', relevance: 'covers the point' },
      average: 0.875,
      verdict: 'accepted',
      judge: 'heuristic',
      judgeVersion: '1',
      at: '2026-11-25T09:00:00.000Z',
    }),
    annotation: null,
    ...over,
  };
}

describe('extension tree items', () => {
  it('a dataset shows its high-quality, rejected and unjudged counts', () => {
    const v = datasetItem({ path: 'data/in/app.jsonl', lines: 20, accepted: 12, rejected: 5, unjudged: 2, invalid: 1, training: false });
    assert.equal(v.label, 'app.jsonl');
    assert.equal(v.description, '12 high-quality · 5 rejected · 2 unjudged');
    assert.match(v.tooltip, /1 invalid line/);
    assert.equal(v.contextValue, 'finetune.dataset');
    assert.equal(datasetItem({ path: 'data/finetuning_dataset.jsonl', lines: 1, accepted: 1, rejected: 0, unjudged: 0, invalid: 0, training: true }).icon.id, 'database');
  });

  it('a sample shows its verdict icon, score and line; a person\'s verdict wins over the judge\'s', () => {
    const judged = sampleItem(aSample());
    assert.equal(judged.icon.id, 'pass');
    assert.equal(judged.description, 'line 12 · 0.875 · accepted');
    assert.equal(judged.contextValue, 'finetune.sample.accepted');
    assert.match(judged.tooltip, /\| coherence \| 0\.9 \| reads well \|/);

    const rejectedByYou = aSample({ annotation: { id: 'x', action: 'reject', at: '2026-11-25T10:00:00.000Z' } });
    assert.equal(effectiveVerdict(rejectedByYou), 'rejected');
    assert.equal(sampleItem(rejectedByYou).icon.id, 'error');
    assert.match(sampleItem(rejectedByYou).description!, /rejected by you/);

    const corrected = sampleItem(aSample({ annotation: { id: 'x', action: 'correct', output: 'Budget approved.', at: '2026-11-25T10:00:00.000Z' } }));
    assert.equal(corrected.icon.id, 'edit');
    assert.match(corrected.tooltip, /Corrected output/);

    const unjudged = sampleItem(aSample({ assessment: null }));
    assert.equal(unjudged.icon.id, 'circle-outline');
    assert.equal(unjudged.description, 'line 12 · unjudged');
    // A note is no verdict.
    assert.equal(effectiveVerdict(aSample({ annotation: { id: 'x', action: 'note', note: 'hm', at: '2026-11-25T10:00:00.000Z' } })), 'accepted');
  });

  it('a sample label is one line, cut with an ellipsis, and its tooltip escapes Markdown', () => {
    const v = sampleItem(aSample({ input: 'line one\nline [two](command:evil) '.repeat(10) }));
    assert.ok(!v.label.includes('\n'));
    assert.ok(v.label.endsWith('…') && v.label.length <= 60);
    assert.ok(!v.tooltip.includes('[two](command:evil)'));
  });

  it('"Load more" says how far the file is shown', () => {
    assert.equal(loadMoreItem(100, 1234).description, 'lines 1–100 of 1,234 shown');
  });

  it('a model version marks the current one and puts its metrics in the tooltip', () => {
    const v = modelItem(aVersion());
    assert.equal(v.label, 'v2');
    assert.equal(v.icon.id, 'star-full');
    assert.equal(v.contextValue, 'finetune.model.current');
    assert.match(v.description!, /^current · eval_loss 5\.086 · 2026-11-25 09:12$/);
    assert.match(v.tooltip, /\| eval_loss \| 6\.264 \| 5\.086 \|/);
    assert.match(v.tooltip, /\| rougeL \| 0\.0295 \| 0\.0532 \|/);
    assert.ok(!/eval_samples/.test(v.tooltip));
    assert.ok(!/\n\n\n/.test(v.tooltip));
    const candidate = modelItem(aVersion({ version: 'v3', current: false, status: 'candidate' }));
    assert.equal(candidate.contextValue, 'finetune.model.candidate');
    assert.match(candidate.tooltip, /not promoted by the gate/);
  });

  it('a run shows its status, progress and duration', () => {
    const now = Date.parse('2026-11-25T09:14:20.000Z');
    const running = runItem(aRun(), now);
    assert.equal(running.icon.id, 'sync~spin');
    assert.equal(running.description, 'running · 42% · 2m 14s');
    assert.equal(running.contextValue, 'finetune.run.active');

    const failed = runItem(aRun({ status: 'failed', endedAt: '2026-11-25T09:12:50.000Z', error: { message: 'CUDA out of memory', hint: 'lower batch_size' } }), now);
    assert.equal(failed.icon.id, 'error');
    assert.equal(failed.description, 'failed · 44s');
    assert.equal(failed.contextValue, 'finetune.run.failed');
    assert.match(failed.tooltip, /CUDA out of memory/);

    const done = runItem(aRun({ status: 'succeeded', endedAt: '2026-11-25T09:12:32.000Z', version: 'v2' }), now);
    assert.equal(done.description, 'succeeded · 26s · → v2');
    assert.equal(runItem(aRun({ status: 'queued', startedAt: null, progress: null }), now).description, 'queued');
  });
});
