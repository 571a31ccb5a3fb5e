import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Assessor } from '../../../daemon/assess/Assessor';
import { judgeBatch } from '../../../daemon/assess/judgeBatch';
import { defaultConfig } from '../../../daemon/config';
import { createJudge } from '../../../daemon/judge/createJudge';
import { JudgeError, type Judge } from '../../../daemon/judge/types';
import { Metrics } from '../../../daemon/metrics';
import { sampleId } from '../../../daemon/store/sampleId';
import { samplesOf } from '../../helpers/samples';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The built-in judge, except for outputs that say "unjudgeable": those fail as a remote judge would. */
function flakyJudge(): Judge & { calls: number } {
  const real = createJudge(defaultConfig().judge);
  const judge = {
    name: real.name,
    version: real.version,
    calls: 0,
    judge(sample: { input: string; output: string }, task: Parameters<Judge['judge']>[1], signal?: AbortSignal) {
      judge.calls++;
      if (sample.output.includes('unjudgeable')) return Promise.reject(new JudgeError('the judge timed out', 'raise judge.openai.timeout_ms'));
      return real.judge(sample, task, signal);
    },
  };
  return judge;
}

describe('judgeBatch', () => {
  let dir: string;
  let assessor: Assessor;
  let judge: ReturnType<typeof flakyJudge>;
  const settings = { task: 'summarization' as const, gate: { minAverage: 0.8, floors: {} }, criteria: [] };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-batch-'));
    judge = flakyJudge();
    assessor = await Assessor.open(dir, judge, settings, new Metrics(), quiet);
  });
  afterEach(async () => {
    await assessor.stored.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const item = (s: { input: string; output: string }, line: number) => ({ line, id: sampleId(s), sample: s });

  it('judges every item, keeps each failure beside its item, and records the verdicts', async () => {
    const [a, b] = samplesOf('good', 2);
    const bad = { input: a.input, output: 'unjudgeable summary' };
    const items = [item(a, 1), item(bad, 2), item(b, 3)];
    const batch = await judgeBatch(assessor, items);
    assert.deepEqual(batch.results.map((r) => [r.item.line, 'error' in r]), [[1, false], [2, true], [3, false]]);
    assert.deepEqual(batch.failures.map((f) => [f.item.line, (f.error as JudgeError).hint]), [[2, 'raise judge.openai.timeout_ms']]);
    assert.deepEqual(batch.assessments.map((x) => x.id), [items[0].id, items[2].id]);
    assert.deepEqual([assessor.stored.get(items[0].id)?.id, assessor.stored.get(items[1].id), assessor.stored.get(items[2].id)?.id], [items[0].id, undefined, items[2].id]);
  });

  it('serves a sample this judge version already scored from the record, unless forced', async () => {
    const [a] = samplesOf('good', 1);
    await judgeBatch(assessor, [item(a, 1)]);
    assert.equal(judge.calls, 1);
    await judgeBatch(assessor, [item(a, 1)]);
    assert.equal(judge.calls, 1);
    await judgeBatch(assessor, [item(a, 1)], { force: true });
    assert.equal(judge.calls, 2);
  });

  it('leaves the record to the caller when asked', async () => {
    const [a] = samplesOf('good', 1);
    const batch = await judgeBatch(assessor, [item(a, 1)], { record: false });
    assert.equal(batch.assessments.length, 1);
    assert.equal(assessor.stored.get(item(a, 1).id), undefined);
  });
});
