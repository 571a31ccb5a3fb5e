import { strict as assert } from 'node:assert';
import { decide, formatPair } from '../../../daemon/registry/gate';
import { modelNameFor, normalizeVersion } from '../../../daemon/registry/modelName';

describe('registry/gate decide', () => {
  const min = { metric: 'eval_loss', mode: 'min' as const, margin: 0, currentVersion: 'v1' };
  const max = { metric: 'rougeL', mode: 'max' as const, margin: 0, currentVersion: 'v1' };

  it('promotes the first version, whatever its metrics', () => {
    assert.deepEqual(decide({ ...min, candidate: 5, current: undefined, currentVersion: null }), { promote: true, reason: 'first version' });
    assert.deepEqual(decide({ ...min, candidate: undefined, current: undefined, currentVersion: null }), { promote: true, reason: 'first version' });
    // Without currentVersion, no current value means no current version.
    assert.deepEqual(decide({ candidate: 1, current: undefined, mode: 'min', margin: 0 }), { promote: true, reason: 'first version' });
  });

  it('min: lower is better; equal is no worse', () => {
    assert.deepEqual(decide({ ...min, candidate: 1.82, current: 1.9 }), {
      promote: true,
      reason: "eval_loss 1.82 is no worse than v1's 1.90 (margin 0)",
    });
    assert.equal(decide({ ...min, candidate: 1.9, current: 1.9 }).promote, true);
    assert.deepEqual(decide({ ...min, candidate: 2.4, current: 1.9 }), {
      promote: false,
      reason: "eval_loss 2.40 is worse than v1's 1.90 (margin 0): kept as a candidate",
    });
  });

  it('max: higher is better', () => {
    assert.deepEqual(decide({ ...max, candidate: 0.41, current: 0.38 }), {
      promote: true,
      reason: "rougeL 0.41 is no worse than v1's 0.38 (margin 0)",
    });
    assert.deepEqual(decide({ ...max, candidate: 0.35, current: 0.38 }), {
      promote: false,
      reason: "rougeL 0.35 is worse than v1's 0.38 (margin 0): kept as a candidate",
    });
  });

  it('margin: the candidate must be better by at least the margin', () => {
    const withMargin = { ...min, margin: 0.1 };
    // 1.9 - 0.1 is 1.7999999999999998 in floating point: exactly the margin still counts.
    assert.deepEqual(decide({ ...withMargin, candidate: 1.8, current: 1.9 }), {
      promote: true,
      reason: "eval_loss 1.80 is at least 0.1 better than v1's 1.90 (margin 0.1)",
    });
    assert.deepEqual(decide({ ...withMargin, candidate: 1.85, current: 1.9 }), {
      promote: false,
      reason: "eval_loss 1.85 is less than 0.1 better than v1's 1.90 (margin 0.1): kept as a candidate",
    });
    assert.deepEqual(decide({ ...withMargin, candidate: 2, current: 1.9 }), {
      promote: false,
      reason: "eval_loss 2.00 is worse than v1's 1.90 (margin 0.1): kept as a candidate",
    });
    assert.equal(decide({ ...max, margin: 0.05, candidate: 0.43, current: 0.38 }).promote, true);
    assert.equal(decide({ ...max, margin: 0.05, candidate: 0.42, current: 0.38 }).promote, false);
  });

  it('missing or non-finite metrics keep the version a candidate', () => {
    assert.deepEqual(decide({ ...min, candidate: undefined, current: 1.9 }), {
      promote: false,
      reason: "metric eval_loss missing from the new version's metrics: kept as a candidate",
    });
    const nan = decide({ ...min, candidate: Number.NaN, current: 1.9 });
    assert.equal(nan.promote, false);
    assert.match(nan.reason, /eval_loss is NaN in the new version's metrics.*kept as a candidate/);
    assert.equal(decide({ ...min, candidate: Number.POSITIVE_INFINITY, current: 1.9 }).promote, false);
  });

  it('a current version without the metric does not block promotion forever', () => {
    assert.deepEqual(decide({ ...min, candidate: 1.82, current: undefined }), {
      promote: true,
      reason: 'v1 has no eval_loss to compare with: promoted on eval_loss 1.82',
    });
  });

  it('says when the comparison is on the same held-out set', () => {
    assert.equal(
      decide({ ...min, candidate: 1.82, current: 1.9, sameHeldOut: true }).reason,
      "eval_loss 1.82 is no worse than v1's 1.90 on the same held-out set (margin 0)",
    );
  });

  it('rejects a bad margin or mode', () => {
    assert.throws(() => decide({ ...min, margin: -1, candidate: 1, current: 1 }), RangeError);
    assert.throws(() => decide({ ...min, margin: Number.NaN, candidate: 1, current: 1 }), RangeError);
    assert.throws(() => decide({ ...min, mode: 'median' as 'min', candidate: 1, current: 1 }), RangeError);
  });

  it('shows as many decimals as tell two values apart', () => {
    assert.deepEqual(formatPair(1.82, 1.9), ['1.82', '1.90']);
    assert.deepEqual(formatPair(1.8231, 1.8234), ['1.8231', '1.8234']);
    assert.deepEqual(formatPair(1.8234, 1.8237), ['1.823', '1.824']);
    assert.deepEqual(formatPair(0.000123, 0.000124), ['0.000123', '0.000124']);
    assert.deepEqual(formatPair(2, 2), ['2.00', '2.00']);
    assert.match(decide({ ...min, candidate: 1.8234, current: 1.8231 }).reason, /1\.8234 is worse than v1's 1\.8231/);
  });
});

describe('registry/modelNameFor', () => {
  const cases: [string, string, string][] = [
    ['mistral-7b', 'summarization', 'mistral-7b-summarization'],
    ['mistralai/Mistral-7B-v0.1', 'summarization', 'mistral-7b-v0.1-summarization'],
    ['meta-llama/Llama-3.1-8B-Instruct', 'qa', 'llama-3.1-8b-instruct-qa'],
    ['tiny-random-t5', 'classification', 'tiny-random-t5-classification'],
    ['/home/me/models/My Base Model/', 'qa', 'my-base-model-qa'],
    ['C:\\models\\Phi_3 mini', 'qa', 'phi_3-mini-qa'],
    ['./models/finetuned/mistral-7b-summarization/v3', 'summarization', 'mistral-7b-summarization'],
    ['models/finetuned/mistral-7b-summarization/current', 'summarization', 'mistral-7b-summarization'],
    ['models/finetuned/mistral-7b-summarization/v3', 'qa', 'mistral-7b-summarization-qa'],
    ['Modèle-Été', 'qa', 'modele-ete-qa'],
    ['org/..', 'qa', 'org-qa'],
    ['///', 'qa', 'model-qa'],
    ['---weird___', 'qa', 'weird-qa'],
  ];
  for (const [base, task, expected] of cases) {
    it(`${JSON.stringify(base)} + ${task} → ${expected}`, () => {
      assert.equal(modelNameFor(base, task), expected);
    });
  }

  it('stays one short, safe path segment', () => {
    const name = modelNameFor(`org/${'x'.repeat(500)}`, 'summarization');
    assert.ok(name.length <= 128, `${name.length}`);
    assert.match(name, /^[a-z0-9][a-z0-9._-]*$/);
  });

  it('normalizes version names', () => {
    assert.equal(normalizeVersion('v3'), 'v3');
    assert.equal(normalizeVersion('3'), 'v3');
    assert.equal(normalizeVersion(12), 'v12');
    assert.equal(normalizeVersion('v03'), undefined);
    assert.equal(normalizeVersion('../v1'), undefined);
    assert.equal(normalizeVersion('latest'), undefined);
  });
});
