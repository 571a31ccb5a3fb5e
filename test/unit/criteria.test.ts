import { strict as assert } from 'node:assert';
import { averageScore, criteriaFor } from '../../daemon/judge/criteria';

describe('criteria', () => {
  it('defines the four SummEval criteria for summarization', () => {
    assert.deepEqual(criteriaFor('summarization').map((c) => c.name), ['coherence', 'consistency', 'fluency', 'relevance']);
  });
  it('averages criterion scores', () => {
    assert.equal(averageScore({ a: 1, b: 0.5 }), 0.75);
    assert.equal(averageScore({}), 0);
  });
});
