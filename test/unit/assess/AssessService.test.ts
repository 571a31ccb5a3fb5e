// Judging and annotating samples, in-process on real stores: what is stored, what is only
// scored, what people say, and that the threshold hears of every change to training verdicts.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainError } from '../../../daemon/errors/DomainError';
import type { Assessment } from '../../../daemon/protocol';
import { sampleId } from '../../../daemon/store/sampleId';
import { jsonl, samplesOf as generated } from '../../helpers/samples';
import { scriptedJudge } from '../../helpers/scriptedJudge';
import { testFlywheel, type TestFlywheel } from '../runs/helpers';

/** Generated samples as a client sends them: just input and output. */
const samplesOf = (...args: Parameters<typeof generated>) => generated(...args).map((s) => ({ input: s.input, output: s.output }));

describe('AssessService', () => {
  let fw: TestFlywheel;
  beforeEach(async () => (fw = await testFlywheel({ enabled: false, threshold: 10 })));
  afterEach(() => fw.close());

  const datasetLines = () => {
    const file = path.join(fw.dir, 'data/finetuning_dataset.jsonl');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
  };

  it('stores a kept sample once, only scores a rejected one, and the threshold counts at once', async () => {
    const seen: [string | null, Assessment][] = [];
    fw.assess.on('assessed', (p, a) => seen.push([p, a]));
    const [good] = samplesOf('good', 1);
    const [bad] = samplesOf('flawed', 1);
    const kept = await fw.assess.submit(good);
    assert.deepEqual([kept.assessment.verdict, kept.stored, kept.duplicate], ['accepted', true, false]);
    assert.equal(fw.runs.thresholdCount.collected, 1);
    const again = await fw.assess.submit(good);
    assert.deepEqual([again.stored, again.duplicate], [false, true]);
    const rejected = await fw.assess.submit(bad);
    assert.deepEqual([rejected.assessment.verdict, rejected.stored], ['rejected', false]);
    assert.equal(datasetLines().length, 1);
    assert.deepEqual(seen.map(([p, a]) => [p, a.verdict]), [['data/finetuning_dataset.jsonl', 'accepted'], [null, 'accepted'], [null, 'rejected']]);
  });

  it('ingests a file: kept, rejected, duplicate and invalid lines, each batch counted', async () => {
    const good = samplesOf('good', 3);
    const content = jsonl([...good, ...samplesOf('flawed', 2)]) + 'not json\n' + jsonl([good[0]]);
    const r = await fw.assess.ingestFile({ name: 'incoming.jsonl', content }, () => undefined);
    assert.deepEqual([r.lines, r.accepted, r.rejected, r.duplicates, r.invalid.map((i) => i.line), r.errors], [7, 3, 2, 1, [6], []]);
    assert.equal(datasetLines().length, 3);
    assert.equal(fw.runs.thresholdCount.collected, 3);
  });

  it('a cancelled ingest stops after the batch in flight, keeps the batches stored before it and says how to go on', async () => {
    const controller = new AbortController();
    const accepting = scriptedJudge('accepting-1', { coherence: 1, consistency: 1, fluency: 1, relevance: 1 });
    const judge = { ...accepting, judge: async (...args: Parameters<typeof accepting.judge>) => {
      // The client leaves while the second batch (lines 513..1024) is being judged.
      if (accepting.calls === 600) controller.abort();
      return accepting.judge(...args);
    } };
    fw.assessor.reconfigure(judge, { task: 'summarization', gate: { minAverage: 0.8, floors: {} }, criteria: [] });
    const content = jsonl(samplesOf('good', 2000, 7));
    await assert.rejects(fw.assess.ingestFile({ name: 'big.jsonl', content }, () => undefined, controller.signal), (e: unknown) => {
      assert.ok(e instanceof DomainError && e.kind === 'cancelled', String(e));
      assert.match(e.message, /ingest of big\.jsonl cancelled; the 512 high-quality samples from its first 512 lines are stored/);
      assert.match(e.hint ?? '', /ingest the file again/);
      return true;
    });
    assert.equal(accepting.calls, 1024, 'the batch in flight finishes judging; no later batch starts');
    assert.equal(datasetLines().length, 512, 'only the batch stored before the cancel is in the dataset');
    assert.equal(fw.runs.thresholdCount.collected, 512);
    // Ingesting again goes on where it stopped.
    const again = await fw.assess.ingestFile({ name: 'big.jsonl', content }, () => undefined);
    assert.deepEqual([again.duplicates, again.accepted, datasetLines().length], [512, 1488, 2000]);
  });

  it('assesses a file without storing it, line by line in order', async () => {
    const content = jsonl(samplesOf('good', 1)) + '{"input": 1}\n' + jsonl(samplesOf('flawed', 1));
    const r = await fw.assess.assessFile({ name: 'check.jsonl', content }, () => undefined);
    assert.deepEqual(r.lines.map((l) => [l.line, l.assessment?.verdict ?? 'error']), [[1, 'accepted'], [2, 'error'], [3, 'rejected']]);
    assert.equal(datasetLines().length, 0);
  });

  it("a person's reject overrides the judge and the threshold recounts; unknown ids and mismatched text are refused", async () => {
    const [good] = samplesOf('good', 1);
    const { id } = await fw.assess.submit(good);
    assert.equal(fw.runs.thresholdCount.collected, 1);
    await fw.assess.annotate({ id, action: 'reject' });
    assert.equal(fw.runs.thresholdCount.collected, 0);
    assert.equal(fw.assess.lookup().view(id).verdict, 'rejected');
    await assert.rejects(fw.assess.annotate({ id: 'f'.repeat(64), action: 'accept' }), (e: unknown) => e instanceof DomainError && e.kind === 'sample-not-found');
    await assert.rejects(fw.assess.annotate({ id, action: 'accept', sample: { input: 'other', output: 'text' } }), (e: unknown) => e instanceof DomainError && e.kind === 'usage');
  });

  it('labels a never-judged line when its text comes with the Accept', async () => {
    const [s] = samplesOf('good', 1, 41);
    const id = sampleId(s);
    await fw.assess.annotate({ id, action: 'accept', sample: s });
    assert.equal(fw.assess.lookup().view(id).verdict, 'accepted');
  });

  it('judges lines added to the dataset by hand, so they count', async () => {
    fs.mkdirSync(path.join(fw.dir, 'data'), { recursive: true });
    await fw.assess.submit(samplesOf('good', 1)[0]);
    fs.appendFileSync(path.join(fw.dir, 'data/finetuning_dataset.jsonl'), jsonl(samplesOf('good', 2, 31)));
    assert.equal(fw.runs.thresholdCount.collected, 1);
    await fw.assess.datasetEdited();
    assert.equal(fw.runs.thresholdCount.collected, 3);
  });

  it('re-judges, in the background, dataset samples an older judge scored, and the threshold counts the new verdicts', async () => {
    for (const s of samplesOf('good', 3)) await fw.assess.submit(s);
    assert.equal(fw.runs.thresholdCount.collected, 3);
    const strict = scriptedJudge('strict-1', { coherence: 1, consistency: 0, fluency: 1, relevance: 1 });
    const settings = { task: 'summarization' as const, gate: { minAverage: 0.8, floors: { consistency: 0.8 } }, criteria: [] };
    fw.assessor.reconfigure(strict, settings);
    assert.equal(fw.runs.thresholdCount.collected, 3, 'until re-judged, the older verdicts stand');
    // An LLM judge is not run over the dataset unasked.
    fw.config.judge.provider = 'openai';
    await fw.assess.rejudgeOutdated();
    assert.equal(strict.calls, 0);
    fw.config.judge.provider = 'heuristic';
    await fw.assess.rejudgeOutdated();
    assert.equal(strict.calls, 3);
    assert.equal(fw.runs.thresholdCount.collected, 0);
    assert.equal(datasetLines().length, 3, 'the samples stay in the dataset, rejected');
    await fw.assess.rejudgeOutdated();
    assert.equal(strict.calls, 3, 'a second pass finds nothing outdated');
  });

  it('judges editor lines in batches and stops when the text moved on', async () => {
    const items = samplesOf('good', 3, 41).map((s) => ({ id: sampleId(s), sample: s }));
    assert.equal((await fw.assess.judgeEditorLines(items, () => true)).size, 0);
    const judged = await fw.assess.judgeEditorLines(items, () => false);
    assert.deepEqual([...judged].sort(), items.map((i) => i.id).sort());
    assert.ok(items.every((i) => fw.assess.recorded(i.id)));
  });

  it('re-judges a sample, records the new verdict and says where the sample is', async () => {
    const [s] = samplesOf('good', 1);
    const { id } = await fw.assess.submit(s);
    const seen: (string | null)[] = [];
    fw.assess.on('assessed', (p) => seen.push(p));
    const again = await fw.assess.rejudge({ id, sample: s, path: 'data/elsewhere.jsonl' });
    assert.deepEqual(fw.assess.recorded(id), again);
    assert.deepEqual(seen, ['data/elsewhere.jsonl']);
  });
});
