import { strict as assert } from 'node:assert';
import { parseCalibration, type Calibration } from '../../../../daemon/judge/calibration/Calibration';
import { crossValidatedScores } from '../../../../daemon/judge/evaluation/crossValidate';
import { criterionLabels, fitCalibration, minimumAgreement, type RawLabel } from '../../../../daemon/judge/evaluation/fitCalibration';

/** A seeded generator (mulberry32), so the labels are the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** People accept a sample when its consistency is high; fluency says nothing about it. */
function labels(n: number, seed = 1): (RawLabel & { id: string })[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const consistency = r();
    const fluency = r();
    return { id: `s${i}`, raw: { consistency, fluency }, human: consistency + (r() - 0.5) * 0.2 > 0.5 ? 1 : 0 };
  });
}

const meta = { judge: 'heuristic-2', task: 'summarization' as const, on: 'test', at: '2026-01-01T00:00:00Z' };

describe('fitCalibration', () => {
  it('blames a rejection on the criterion least typical of accepted samples; accepted samples are good on all', () => {
    const accepted = [0.8, 0.85, 0.9, 0.95].map((c) => ({ raw: { consistency: c, fluency: c }, human: 1 }));
    const rejected = { raw: { consistency: 0.2, fluency: 0.9 }, human: 0.5 };
    const per = criterionLabels([...accepted, rejected], ['consistency', 'fluency']);
    assert.deepEqual(per.get('consistency')!.map((p) => p.label), [1, 1, 1, 1, 0]);
    assert.deepEqual(per.get('fluency')!.map((p) => p.label), [1, 1, 1, 1], 'the rejection is not fluency\'s');
  });

  it('fits the criterion that agrees with people and leaves one that does not', () => {
    const { calibration, criteria } = fitCalibration(labels(300), meta);
    assert.doesNotThrow(() => parseCalibration(calibration, 'fitted'), 'a valid calibration file');
    const byName = Object.fromEntries(criteria.map((c) => [c.name, c]));
    assert.equal(byName.consistency.fitted, true, byName.consistency.note);
    assert.equal(byName.fluency.fitted, false, byName.fluency.note);
    assert.match(byName.fluency.note, /within chance|no rejection/);
    const c = calibration.criteria.consistency;
    assert.ok(c.y[0] < 0.2 && c.y[c.y.length - 1] > 0.9, JSON.stringify(c));
    assert.equal(calibration.criteria.fluency, undefined, 'an unfitted criterion is left as the judge scores it');
    assert.deepEqual(calibration.fitted, { on: 'test', labels: 300, at: meta.at });
  });

  it('keeps the in-use curve of a criterion the labels say nothing about, but only for the same judge version', () => {
    const inUse: Calibration = { format: 1, judge: 'heuristic-2', task: 'summarization', fitted: { on: 'shipped', labels: 100, at: 'x' }, criteria: { fluency: { x: [0, 1], y: [0.2, 0.9] } } };
    assert.deepEqual(fitCalibration(labels(300), meta, inUse).calibration.criteria.fluency, { x: [0, 1], y: [0.2, 0.9] });
    assert.equal(fitCalibration(labels(300), meta, { ...inUse, judge: 'heuristic-1' }).calibration.criteria.fluency, undefined);
  });

  it('needs more agreement on fewer labels (about two standard errors)', () => {
    assert.ok(Math.abs(minimumAgreement(101) - 0.2) < 1e-12);
    assert.ok(minimumAgreement(30) > minimumAgreement(1000));
  });

  it('cross-validates: every label is scored by curves fitted without it', () => {
    const ls = labels(100, 3);
    const scored = crossValidatedScores(ls, meta, undefined);
    assert.equal(scored.length, 100);
    for (const s of scored) assert.ok(Number.isFinite(s.scores.consistency) && s.scores.consistency >= 0 && s.scores.consistency <= 1);
    assert.deepEqual(scored.map((s) => s.human), ls.map((l) => l.human));
    // Held out, a label's own score cannot move its curve: flip one label and only other folds change.
    const flipped = ls.map((l, i) => (i === 0 ? { ...l, human: 1 - l.human } : l));
    assert.deepEqual(crossValidatedScores(flipped, meta, undefined)[0].scores, scored[0].scores);
  });
});
