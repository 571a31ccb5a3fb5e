import { strict as assert } from 'node:assert';
import { verdictLabel } from '../../../daemon/server/lsp/features';
import type { SampleView } from '../../../daemon/assess/sampleView';
import type { Assessment } from '../../../daemon/protocol';

const assessment = (over: Partial<Assessment>): Assessment => ({
  id: 'a',
  task: 'summarization',
  scores: { consistency: 0.41, fluency: 0.95 },
  rationale: {},
  average: 0.845,
  verdict: 'rejected',
  rejectedBy: 'consistency 0.41 < 0.8',
  judge: 'heuristic',
  judgeVersion: 'heuristic-2',
  at: '2026-01-01T00:00:00Z',
  ...over,
});
const view = (over: Partial<SampleView>): SampleView => ({ id: 'a', current: true, verdict: 'rejected', ...over });

describe('the verdict code lens', () => {
  it('says the verdict, the average and the rule that decided', () => {
    assert.equal(verdictLabel(view({ assessment: assessment({}) })), '✗ 0.84 · consistency 0.41 < 0.8');
    assert.equal(verdictLabel(view({ assessment: assessment({ verdict: 'accepted', rejectedBy: undefined, average: 0.91 }), verdict: 'accepted' })), '✓ 0.91');
    assert.equal(verdictLabel(view({})), '○ unjudged');
    // The average is not said twice.
    assert.equal(verdictLabel(view({ assessment: assessment({ average: 0.71, rejectedBy: 'average 0.71 ≤ 0.8' }) })), '✗ 0.71 · average ≤ 0.8');
    assert.equal(verdictLabel(view({ assessment: assessment({}), current: false })), '✗ 0.84 · consistency 0.41 < 0.8 (older judge)');
  });

  it('puts a person\'s Accept / Reject first, then what the judge said; a note changes nothing', () => {
    const a = assessment({});
    assert.equal(verdictLabel(view({ assessment: a, annotation: { id: 'a', action: 'accept', at: 't' } })), '✓ accepted by hand · judge: ✗ 0.84 · consistency 0.41 < 0.8');
    assert.equal(verdictLabel(view({ annotation: { id: 'a', action: 'reject', at: 't' } })), '✗ rejected by hand');
    assert.equal(verdictLabel(view({ assessment: a, annotation: { id: 'a', action: 'note', note: 'hm', at: 't' } })), '✗ 0.84 · consistency 0.41 < 0.8');
    assert.match(verdictLabel(view({ assessment: a, annotation: { id: 'a', action: 'correct', output: 'x', at: 't' } })), /^✎ corrected by hand · judge: ✗/);
  });
});
