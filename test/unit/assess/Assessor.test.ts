// Stored verdicts under a changed judge: a new calibration re-maps the raw scores a sample already
// has (no judge call, the verdict follows the new curve); a new provider version scores afresh.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Assessor } from '../../../daemon/assess/Assessor';
import type { Calibration } from '../../../daemon/judge/calibration/Calibration';
import { CalibratedJudge } from '../../../daemon/judge/calibration/CalibratedJudge';
import { Metrics } from '../../../daemon/metrics';
import { scriptedJudge } from '../../helpers/scriptedJudge';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A provider that gives every sample the same raw scores and counts its calls. */
const countingJudge = (version: string) => scriptedJudge(version, { coherence: 0.9, consistency: 0.6, fluency: 0.9, relevance: 0.9 }, { consistency: 'Mostly supported.' });

/** A calibration of the consistency score: the straight line from (0, y0) to (1, y1). */
const calibration = (judge: string, y0: number, y1: number): Calibration => ({
  format: 1,
  judge,
  task: 'summarization',
  fitted: { on: 'test labels', labels: 40, at: '2026-12-04' },
  criteria: { consistency: { x: [0, 1], y: [y0, y1] } },
});

describe('Assessor under a changed judge', () => {
  const settings = { task: 'summarization' as const, gate: { minAverage: 0.8, floors: { consistency: 0.8 } }, criteria: [] };
  const sample = { input: 'The article.', output: 'The summary.' };
  let dir: string;
  let assessor: Assessor;
  let provider: ReturnType<typeof countingJudge>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-assessor-'));
    provider = countingJudge('counting-1');
    assessor = await Assessor.open(dir, new CalibratedJudge(provider, [calibration('counting-1', 0, 1)]), settings, new Metrics(), quiet);
    await assessor.record([await assessor.judgeOne('s1', sample)]);
  });
  afterEach(async () => {
    await assessor.stored.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores the raw scores beside the calibrated ones', () => {
    const a = assessor.cached('s1');
    assert.equal(a?.verdict, 'rejected');
    assert.equal(a?.rejectedBy, 'consistency 0.60 < 0.8');
    assert.deepEqual(a?.raw, { coherence: 0.9, consistency: 0.6, fluency: 0.9, relevance: 0.9 });
    assert.equal(a?.rawVersion, 'counting-1');
  });

  it('re-maps stored raw scores through a new calibration without judging again', async () => {
    const lenient = new CalibratedJudge(provider, [calibration('counting-1', 0.5, 1)]);
    assessor.reconfigure(lenient, settings);
    const a = assessor.cached('s1');
    assert.equal(a?.scores.consistency, 0.8);
    assert.equal(a?.verdict, 'accepted');
    assert.equal(a?.judgeVersion, lenient.version);
    assert.equal(provider.calls, 1);
    // Without any calibration the raw scores are the scores.
    assessor.reconfigure(provider, settings);
    assert.equal(assessor.cached('s1')?.scores.consistency, 0.6);
    assert.equal(assessor.cached('s1')?.raw, undefined);
    assert.equal(provider.calls, 1);
  });

  it('has no verdict for a sample another provider version scored, so it is judged again', async () => {
    const next = countingJudge('counting-2');
    assessor.reconfigure(new CalibratedJudge(next, [calibration('counting-2', 0.5, 1)]), settings);
    assert.equal(assessor.cached('s1'), undefined);
    const again = await assessor.judgeOne('s1', sample);
    assert.equal(next.calls, 1);
    assert.equal(again.rawVersion, 'counting-2');
  });
});
