import { strict as assert } from 'node:assert';
import { effectiveVerdict, type SampleState } from '../../../daemon/assess/effectiveVerdict';
import { countTowardsThreshold, enoughNewSince } from '../../../daemon/runs/threshold';

describe('threshold', () => {
  const states: Record<string, SampleState> = {
    a: { assessment: { verdict: 'accepted' } },
    b: { assessment: { verdict: 'accepted' } },
    c: { assessment: { verdict: 'rejected' } },
    d: { assessment: { verdict: 'rejected' }, annotation: { action: 'accept' } },
    e: { assessment: { verdict: 'accepted' }, annotation: { action: 'reject' } },
    f: {},
    g: { assessment: { verdict: 'accepted' }, annotation: { action: 'note' } },
  };
  const stateOf = (id: string) => states[id];

  it('lets a person override the judge, and ignores notes', () => {
    assert.equal(effectiveVerdict(states.d), 'accepted');
    assert.equal(effectiveVerdict(states.e), 'rejected');
    assert.equal(effectiveVerdict(states.g), 'accepted');
    assert.equal(effectiveVerdict(states.f), 'unjudged');
  });

  it('counts only high-quality samples no landed version has used', () => {
    const count = countTowardsThreshold(Object.keys(states), stateOf, new Set(['a']), 5);
    assert.deepEqual(count.trainable, ['a', 'b', 'd', 'g']);
    assert.deepEqual(count.fresh, ['b', 'd', 'g']);
    assert.equal(count.collected, 3);
    assert.equal(count.remaining, 2);
  });

  it('never reports a negative remainder', () => {
    assert.equal(countTowardsThreshold(['a', 'b'], stateOf, new Set(), 1).remaining, 0);
  });

  it('after a failed automatic run, needs a threshold of samples that run did not have', () => {
    assert.equal(enoughNewSince(['a', 'b'], undefined, 2), true, 'no failed run: the count alone decides');
    assert.equal(enoughNewSince(['a', 'b', 'c'], new Set(['a', 'b']), 2), false);
    assert.equal(enoughNewSince(['a', 'b', 'c', 'd'], new Set(['a', 'b']), 2), true);
  });
});
