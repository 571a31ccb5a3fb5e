import { strict as assert } from 'node:assert';
import { applyGate, gateVerdict } from '../../../daemon/judge/gate';

const gate = { minAverage: 0.8, floors: { consistency: 0.8 } };

describe('judge gate: average and floors', () => {
  it('keeps a sample whose average is above the line and every floor is met', () => {
    assert.deepEqual(applyGate({ consistency: 0.85, fluency: 0.75 }, gate), { average: 0.8, verdict: 'rejected', rejectedBy: 'average 0.80 ≤ 0.8' });
    assert.deepEqual(applyGate({ consistency: 0.875, fluency: 0.875 }, gate), { average: 0.875, verdict: 'accepted' });
  });

  it('rejects a fluent but unfaithful sample by its floor, and says so', () => {
    const d = applyGate({ coherence: 0.95, consistency: 0.41, fluency: 0.95, relevance: 0.95 }, gate);
    assert.equal(d.verdict, 'rejected');
    assert.equal(d.rejectedBy, 'consistency 0.41 < 0.8');
    assert.ok(d.average > 0.8, 'the average alone would have kept it');
  });

  it('names the average when every floor is met but the average is not above the line', () => {
    const d = applyGate({ consistency: 0.8, fluency: 0.78 }, gate);
    assert.equal(d.rejectedBy, 'average 0.79 ≤ 0.8');
  });

  it('reports the criterion furthest below its floor first, and ignores floors of criteria not scored', () => {
    const d = applyGate({ a: 0.5, b: 0.1 }, { minAverage: 0, floors: { a: 0.9, b: 0.3, missing: 0.99 } });
    assert.equal(d.rejectedBy, 'a 0.50 < 0.9');
    assert.equal(applyGate({ a: 0.95 }, { minAverage: 0.5, floors: { missing: 0.99 } }).verdict, 'accepted');
  });

  it('never rounds a score up over its floor in the message', () => {
    assert.equal(applyGate({ consistency: 0.7999 }, gate).rejectedBy, 'consistency 0.79 < 0.8');
  });

  it('gateVerdict (used to count a whole dataset) agrees with applyGate, on the line too', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Scores on a 0.05 grid hit the average line and the floors exactly, where rounding would show.
    const pick = () => Math.round(rand() * 20) / 20;
    for (let i = 0; i < 5000; i++) {
      const scores: Record<string, number> = {};
      for (const name of ['coherence', 'consistency', 'fluency', 'relevance']) if (rand() < 0.9) scores[name] = pick();
      const floors: Record<string, number> = rand() < 0.5 ? { consistency: pick() } : {};
      const settings = { minAverage: pick(), floors };
      assert.equal(gateVerdict(scores, settings), applyGate(scores, settings).verdict, JSON.stringify({ scores, settings }));
    }
  });
});
