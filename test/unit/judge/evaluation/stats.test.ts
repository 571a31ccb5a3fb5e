import { strict as assert } from 'node:assert';
import { kendallTauB, pearson, ranks, rocAuc, spearman } from '../../../../daemon/judge/evaluation/stats';

const close = (actual: number, expected: number, eps = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) < eps, `expected ${expected}, got ${actual}`);

describe('judge evaluation stats', () => {
  it('gives tied values the mean of their ranks', () => {
    assert.deepEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  });

  it('computes Pearson on a known case and is NaN for a constant side', () => {
    close(pearson([1, 2, 3, 4], [2, 4, 6, 8]), 1);
    close(pearson([1, 2, 3, 4], [8, 6, 4, 2]), -1);
    // Deviations from the means: x -1,0,1 and y -1,1,0, so r = 1 / sqrt(2 * 2) = 0.5.
    close(pearson([1, 2, 3], [1, 3, 2]), 0.5);
    assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  });

  it('Spearman is rank-based: any monotone transform gives 1', () => {
    const x = [0.1, 0.5, 0.2, 0.9, 0.7];
    close(spearman(x, x.map((v) => Math.exp(10 * v))), 1);
    // With ties, Spearman is Pearson on average ranks: ranks x=[1,2,3,4], y=[1.5,1.5,3,4].
    close(spearman([1, 2, 3, 4], [5, 5, 6, 7]), pearson([1, 2, 3, 4], [1.5, 1.5, 3, 4]));
  });

  it('Kendall tau-b matches a hand-counted example with ties', () => {
    // Pairs of x=[1,2,3,4], y=[1,1,2,3]: 5 concordant, 0 discordant, 1 tied in y only.
    // tau-b = 5 / sqrt((5+0+0) * (5+0+1)) = 5 / sqrt(30)
    close(kendallTauB([1, 2, 3, 4], [1, 1, 2, 3]), 5 / Math.sqrt(30));
    close(kendallTauB([1, 2, 3], [3, 2, 1]), -1);
  });

  it('ROC AUC counts ties as half and is 0.5 for no separation', () => {
    close(rocAuc([0.9, 0.8], [0.1, 0.2]), 1);
    close(rocAuc([0.1, 0.2], [0.9, 0.8]), 0);
    close(rocAuc([0.5, 0.5], [0.5, 0.5]), 0.5);
    // Positives 0.3, 0.7 vs negatives 0.5: one win, one loss -> 0.5; add a tie -> (1 + 0.5) / 3.
    close(rocAuc([0.3, 0.7], [0.5]), 0.5);
    close(rocAuc([0.3, 0.7, 0.5], [0.5]), 1.5 / 3);
    assert.ok(Number.isNaN(rocAuc([], [1])));
  });

  it('rejects series of different lengths', () => {
    assert.throws(() => spearman([1, 2], [1]), /length mismatch/);
  });
});
