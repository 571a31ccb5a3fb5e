import { strict as assert } from 'node:assert';
import { measureAgreement, type ScoredLabel } from '../../../../daemon/judge/evaluation/agreement';

const gate = { minAverage: 0.8, floors: { consistency: 0.8 } };
const item = (consistency: number, fluency: number, human: number): ScoredLabel => ({ scores: { consistency, fluency }, human });

describe('measureAgreement', () => {
  it('counts labels, the base rate, and precision and recall of the gate in use (floors included)', () => {
    const items = [
      item(0.95, 0.95, 1), // kept, accepted
      item(0.9, 0.9, 0), // kept, not accepted
      item(0.7, 1.0, 1), // average 0.85 but under the consistency floor: not kept, accepted
      item(0.85, 0.7, 0.5), // average 0.775: not kept; 0.5 is not accepted
      item(0.2, 0.3, 0), // not kept
    ];
    const a = measureAgreement(items, gate, 0.9);
    assert.equal(a.labels, 5);
    assert.equal(a.accepted, 2);
    assert.equal(a.base, 0.4);
    assert.equal(a.kept, 2);
    assert.equal(a.precision, 0.5);
    assert.equal(a.recall, 0.5);
  });

  it('gives rank agreement and ROC AUC of the average, per criterion too', () => {
    const items = [item(0.1, 0.5, 0), item(0.4, 0.5, 0), item(0.6, 0.5, 1), item(0.9, 0.5, 1)];
    const a = measureAgreement(items, gate, 0.9);
    assert.equal(a.auc, 1);
    assert.ok(a.spearman! > 0.85, String(a.spearman));
    assert.ok(a.kendall! > 0.7, String(a.kendall));
    assert.equal(a.criteria.consistency.auc, 1);
    assert.equal(a.criteria.fluency.spearman, null, 'a constant score has no rank agreement');
    assert.equal(a.criteria.fluency.auc, 0.5);
  });

  it('is null where a figure is undefined: no accepted labels, nothing kept', () => {
    const a = measureAgreement([item(0.1, 0.1, 0), item(0.2, 0.2, 0)], gate, 0.9);
    assert.equal(a.auc, null);
    assert.equal(a.recall, null);
    assert.equal(a.precision, null);
    assert.equal(a.kept, 0);
  });

  it('finds the lowest min_average (two decimals, floors kept) that reaches the precision asked for', () => {
    // Averages 0.60 (accepted), 0.70 (rejected), 0.80 (accepted), 0.90 (accepted); floors all pass.
    const items = [item(0.9, 0.3, 1), item(0.9, 0.5, 0), item(0.9, 0.7, 1), item(0.9, 0.9, 1)];
    const g = measureAgreement(items, gate, 0.75).gateForPrecision;
    // At 0.00–0.59 all four are kept: precision 0.75 already.
    assert.deepEqual(g, { target: 0.75, minAverage: 0, precision: 0.75, recall: 1, kept: 4 });
    const strict = measureAgreement(items, gate, 1).gateForPrecision;
    assert.equal(strict.minAverage, 0.7, 'above 0.70 only the two accepted ones are left');
    assert.equal(strict.kept, 2);
    assert.equal(strict.recall, 2 / 3);
    const none = measureAgreement([item(0.9, 0.9, 0)], gate, 0.5).gateForPrecision;
    assert.deepEqual(none, { target: 0.5, minAverage: null, precision: null, recall: null, kept: 0 });
  });

  it('tabulates ten score buckets with the share people accepted (a score of 1 is in the last)', () => {
    const a = measureAgreement([item(1, 1, 1), item(0.95, 0.95, 0), item(0.05, 0.05, 0), item(0.51, 0.49, 1)], gate, 0.9);
    assert.equal(a.buckets.length, 10);
    assert.deepEqual(a.buckets[9], { from: 0.9, to: 1, n: 2, accepted: 0.5 });
    assert.deepEqual(a.buckets[0], { from: 0, to: 0.1, n: 1, accepted: 0 });
    assert.deepEqual(a.buckets[5], { from: 0.5, to: 0.6, n: 1, accepted: 1 });
    assert.equal(a.buckets[3].accepted, null, 'an empty bucket has no share');
  });
});
