import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { benchJudgeQuality, DEFAULT_DATA, ngramPrecision } from '../../bench/judgeQuality';

// Agreement with human labels is a product metric (design/judge.md): this guards it against
// regressions. The labelled data lives in ../shared, outside the repository.
describe('HeuristicJudge: agreement with human labels (QAGS-CNNDM)', function () {
  this.timeout(30000);

  before(function () {
    if (!existsSync(DEFAULT_DATA)) {
      console.log(`      skipped: labelled data not found at ${DEFAULT_DATA} (the shared folder next to the repository)`);
      this.skip();
    }
  });

  it('computes the design doc baseline the same way (bigram precision)', () => {
    assert.equal(ngramPrecision('the cat sat on the mat', 'the cat sat on a mat', 2), 3 / 5);
  });

  it('reproduces the bigram baseline and beats it with both the average and consistency', async () => {
    const report = await benchJudgeQuality();
    const by = (prefix: string) => {
      const row = report.rows.find((r) => r.scorer.includes(prefix));
      assert.ok(row, `no row for ${prefix}`);
      return row;
    };
    const bigram = by('bigram precision');
    const average = by('average');
    const consistency = by('consistency');
    assert.ok(Math.abs(bigram.spearman - 0.622) < 0.005, `bigram baseline Spearman ${bigram.spearman}`);
    assert.ok(average.spearman > bigram.spearman, `average ${average.spearman} vs baseline ${bigram.spearman}`);
    assert.ok(average.kendall > bigram.kendall && average.auc > bigram.auc);
    assert.ok(consistency.spearman > by('trigram precision').spearman);
    // The gate keeps nearly all summaries people found fully consistent.
    assert.ok(average.keptGood >= 0.95);
    assert.match(report.text, /Spearman/);
  });

  it('says clearly when the data is missing instead of failing', async () => {
    const report = await benchJudgeQuality('/nonexistent/qags-cnndm.jsonl');
    assert.equal(report.rows.length, 0);
    assert.match(report.skipped ?? '', /not found at \/nonexistent/);
  });
});
