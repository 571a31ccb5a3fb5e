import { strict as assert } from 'node:assert';
import { DEFAULT_CONFIG, type Config } from '../../../../daemon/config';
import { CalibratedJudge } from '../../../../daemon/judge/calibration/CalibratedJudge';
import { parseCalibration, type Calibration } from '../../../../daemon/judge/calibration/Calibration';
import { createJudge } from '../../../../daemon/judge/createJudge';
import type { Judge, JudgeResult } from '../../../../daemon/judge/types';

const fixed: Judge = {
  name: 'fixed',
  version: 'fixed-1',
  judge: async (): Promise<JudgeResult> => ({ scores: { consistency: 0.5, fluency: 0.9 }, rationale: { consistency: 'Half of it is supported.', fluency: 'Reads well.' } }),
};
const cal = (judge: string, y: number[]): Calibration => ({
  format: 1,
  judge,
  task: 'summarization',
  fitted: { on: 'test labels', labels: 40, at: '2026-12-04' },
  criteria: { consistency: { x: [0, 1], y } },
});

describe('CalibratedJudge', () => {
  it('maps the calibrated criteria, passes the others through, and keeps the raw scores and the reasons', async () => {
    const j = new CalibratedJudge(fixed, [cal('fixed-1', [0, 0.4])]);
    const r = await j.judge({ input: 'a', output: 'b' }, 'summarization');
    assert.equal(r.scores.consistency, 0.2);
    assert.equal(r.scores.fluency, 0.9);
    assert.deepEqual(r.raw, { consistency: 0.5, fluency: 0.9 });
    assert.deepEqual(r.rationale, { consistency: 'Half of it is supported.', fluency: 'Reads well.' });
    assert.equal(j.rawVersion, 'fixed-1');
    assert.deepEqual(j.fromRaw({ consistency: 1, fluency: 0.3 }, 'summarization'), { consistency: 0.4, fluency: 0.3 });
  });

  it('changes its version with the calibration, so cached scores are recomputed', () => {
    const a = new CalibratedJudge(fixed, [cal('fixed-1', [0, 0.4])]);
    const b = new CalibratedJudge(fixed, [cal('fixed-1', [0, 0.5])]);
    assert.match(a.version, /^fixed-1\+cal-[0-9a-f]{8}$/);
    assert.notEqual(a.version, b.version);
  });

  it('ignores a calibration fitted on another judge version, and tasks it has none for', async () => {
    const j = new CalibratedJudge(fixed, [cal('fixed-0', [0, 0.4])]);
    assert.equal(j.version, 'fixed-1');
    assert.equal((await j.judge({ input: 'a', output: 'b' }, 'summarization')).scores.consistency, 0.5);
  });
});

describe('createJudge and calibration', () => {
  const judgeConfig = (calibration: 'auto' | 'none'): Config['judge'] => ({ ...DEFAULT_CONFIG.judge, calibration });

  it('puts the shipped calibration in front of the built-in judge by default, and none when told', () => {
    assert.match(createJudge(judgeConfig('auto')).version, /^heuristic-\d+\+cal-[0-9a-f]{8}$/);
    assert.match(createJudge(judgeConfig('none')).version, /^heuristic-\d+$/);
  });

  it("prefers the workspace's own calibration for a task over the shipped one", () => {
    const raw = createJudge(judgeConfig('none')).version;
    const shipped = createJudge(judgeConfig('auto')).version;
    const own = createJudge(judgeConfig('auto'), {}, [cal(raw, [0.1, 0.9])]).version;
    assert.notEqual(own, shipped);
    assert.match(own, new RegExp(`^${raw}\\+cal-[0-9a-f]{8}$`));
  });
});

describe('calibration files', () => {
  it('names every problem by its field', () => {
    const bad = { format: 1, judge: 'x', task: 'summarization', fitted: { on: '', labels: 1, at: '' }, criteria: { consistency: { x: [0.5, 0.2], y: [0.1] } } };
    assert.throws(() => parseCalibration(bad, 'cal.json'), /^Error: cal\.json: not a valid calibration: criteria\.consistency.*same number of knots/);
    assert.throws(() => parseCalibration({ ...bad, criteria: { consistency: { x: [0.5, 0.2], y: [0.1, 0.2] } } }, 'cal.json'), /criteria\.consistency\.x: x must be strictly ascending/);
    assert.throws(() => parseCalibration({ ...bad, task: 'poetry' }, 'cal.json'), /task/);
  });
});
