import { strict as assert } from 'node:assert';
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes } from '../../../daemon/protocol';
import { refusedOutcome, startedOutcome } from '../../../extension/commands/runStartFlow';
import { aRun } from './fixtures';

const belowThreshold = new ResponseError(ErrorCodes.BelowThreshold, '63 of 100 high-quality samples collected; 37 more needed before fine-tuning', {
  kind: 'below-threshold',
  hint: 'add samples with "finetune ingest FILE", or run anyway with "finetune run --force"',
  details: { collected: 63, threshold: 100, remaining: 37 },
});

describe("extension 'Fine-tune: Run' flow", () => {
  it('below the threshold: shows the numbers and offers Run Anyway', () => {
    const o = refusedOutcome(belowThreshold, false);
    assert.equal(o.kind, 'below-threshold');
    assert.equal(o.message, 'Fine-tune: 63 of 100 high-quality samples collected; 37 more samples needed before fine-tuning. Run anyway on the samples collected so far?');
    assert.deepEqual(o.actions, ['Run Anyway']);
  });

  it('a refusal of the forced retry is an error, not another Run Anyway', () => {
    const o = refusedOutcome(belowThreshold, true);
    assert.equal(o.kind, 'error');
    assert.deepEqual(o.actions, []);
  });

  it('uses the message when the numbers are missing', () => {
    const o = refusedOutcome(new ResponseError(ErrorCodes.BelowThreshold, '2 more needed', { kind: 'below-threshold' }), false);
    assert.equal(o.message, 'Fine-tune: 2 more needed. Run anyway on the samples collected so far?');
  });

  it('a run already active offers the panel', () => {
    const o = refusedOutcome(new ResponseError(ErrorCodes.RunActive, 'run r1 is running; one run at a time', { kind: 'run-active' }), false);
    assert.equal(o.kind, 'run-active');
    assert.deepEqual(o.actions, ['Open Run Panel']);
  });

  it('any other refusal is an error with the daemon\'s hint', () => {
    const o = refusedOutcome(new ResponseError(ErrorCodes.NothingToTrain, 'there are no high-quality samples to train on', { kind: 'nothing-to-train', hint: 'ingest samples first' }), false);
    assert.equal(o.kind, 'error');
    assert.equal(o.message, 'Fine-tune: could not start a run: there are no high-quality samples to train on. Ingest samples first.');
  });

  it('a started run says what it trains on and offers the panel', () => {
    const o = startedOutcome(aRun({ status: 'queued' }));
    assert.equal(o.message, `Fine-tune: run ${aRun().id} queued on 48 samples (tiny-random-mistral).`);
    assert.deepEqual(o.actions, ['Open Run Panel']);
  });
});
