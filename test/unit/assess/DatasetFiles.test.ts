// The dataset explorer's filters (samples/list with a filter) on a real file and real verdicts:
// by the verdict that counts, overrides only, sorted by a criterion's score, paged.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetFiles } from '../../../daemon/assess/DatasetFiles';
import { layoutFor } from '../../../daemon/workspace/layout';
import { sampleId } from '../../../daemon/store/sampleId';
import { jsonl, samplesOf } from '../../helpers/samples';
import { testFlywheel, type TestFlywheel } from '../runs/helpers';

describe('DatasetFiles: explorer filters', () => {
  let fw: TestFlywheel;
  let files: DatasetFiles;
  const good = samplesOf('good', 4, 51);
  const bad = samplesOf('flawed', 3, 51);
  // Line 1 good, 2 bad, 3 not a sample, 4 good, 5 bad, ...
  const order = [good[0], bad[0], null, good[1], bad[1], good[2], bad[2], good[3]];
  const lineOf = (s: { input: string; output: string }) => order.indexOf(s as never) + 1;

  beforeEach(async () => {
    fw = await testFlywheel({ enabled: false, threshold: 10 });
    const text = order.map((s) => (s ? jsonl([s]) : 'not json\n')).join('');
    fs.mkdirSync(path.join(fw.dir, 'incoming'), { recursive: true });
    fs.writeFileSync(path.join(fw.dir, 'incoming/mixed.jsonl'), text);
    await fw.assess.assessFile({ path: 'incoming/mixed.jsonl' }, () => {});
    const c = fw.config;
    files = new DatasetFiles(layoutFor(fw.dir, { dataset: c.dataset.path, log: c.logs.path, outputDir: c.finetuning.output_dir }), () => c, fw.assess);
  });
  afterEach(() => fw.close());

  const lines = async (filter: Parameters<DatasetFiles['samples']>[3], offset = 0, limit = 100) => {
    const page = await files.samples('incoming/mixed.jsonl', offset, limit, filter);
    return { total: page.total, lines: page.items.map((r) => r.line) };
  };

  it('filters by the verdict that counts: a person over the judge', async () => {
    assert.deepEqual(await lines({ verdict: 'rejected' }), { total: 3, lines: bad.map(lineOf) });
    await fw.assess.annotate({ id: sampleId(bad[1]), action: 'accept' });
    await fw.assess.annotate({ id: sampleId(good[0]), action: 'note', note: 'fine' });
    assert.deepEqual(await lines({ verdict: 'rejected' }), { total: 2, lines: [lineOf(bad[0]), lineOf(bad[2])] });
    assert.deepEqual((await lines({ verdict: 'accepted' })).lines, [1, 4, 5, 6, 8]);
    assert.deepEqual(await lines({ verdict: 'unjudged' }), { total: 0, lines: [] });
  });

  it('shows overrides only (a note is not one), and pages the matches', async () => {
    await fw.assess.annotate({ id: sampleId(good[1]), action: 'reject' });
    await fw.assess.annotate({ id: sampleId(bad[2]), action: 'correct', output: 'A better summary.' });
    await fw.assess.annotate({ id: sampleId(good[2]), action: 'note', note: 'check' });
    assert.deepEqual(await lines({ overridesOnly: true }), { total: 2, lines: [lineOf(good[1]), lineOf(bad[2])] });
    assert.deepEqual(await lines({ overridesOnly: true }, 1, 1), { total: 2, lines: [lineOf(bad[2])] });
    assert.deepEqual(await lines({ overridesOnly: true, verdict: 'rejected' }), { total: 1, lines: [lineOf(good[1])] });
  });

  it('sorts by a criterion score, highest first, unscored samples last', async () => {
    const page = await files.samples('incoming/mixed.jsonl', 0, 100, { sortBy: 'consistency' });
    const scores = page.items.map((r) => r.assessment!.scores.consistency);
    assert.equal(page.total, 7);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    assert.ok(scores[0] > scores[scores.length - 1], 'the scores differ, so the order says something');
    const unknown = await files.samples('incoming/mixed.jsonl', 0, 100, { sortBy: 'no-such-criterion' });
    assert.deepEqual(unknown.items.map((r) => r.line), [1, 2, 4, 5, 6, 7, 8], 'no score: file order');
  });

  it("the training dataset's counts and filtered pages (taken from the store's index, not the file) match those of the same lines in any file", async () => {
    const text = fs.readFileSync(path.join(fw.dir, 'incoming/mixed.jsonl'), 'utf8') + jsonl([good[0]]); // a repeated line counts twice
    fs.writeFileSync(path.join(fw.dir, 'data/copy.jsonl'), text);
    fs.writeFileSync(path.join(fw.dir, fw.config.dataset.path), text);
    // People's word counts on both sides alike.
    await fw.assess.annotate({ id: sampleId(bad[1]), action: 'accept' });
    await fw.assess.annotate({ id: sampleId(good[1]), action: 'reject' });
    await fw.assess.annotate({ id: sampleId(good[2]), action: 'note', note: 'check' });
    const infos = await files.list();
    const training = infos.find((i) => i.training)!;
    const copy = infos.find((i) => i.path === 'data/copy.jsonl')!;
    assert.deepEqual({ ...training, path: '', training: false }, { ...copy, path: '' });
    assert.deepEqual([training.lines, training.invalid, training.accepted + training.rejected], [9, 1, 8]);
    const filters = [{ verdict: 'accepted' as const }, { verdict: 'rejected' as const }, { sortBy: 'consistency' }, { overridesOnly: true }, { verdict: 'accepted' as const, sortBy: 'fluency' }];
    for (const filter of filters) {
      for (const [offset, limit] of [[0, 100], [2, 3]]) {
        const a = await files.samples(fw.config.dataset.path, offset, limit, filter);
        const b = await files.samples('data/copy.jsonl', offset, limit, filter);
        assert.deepEqual([a.total, a.items.map((r) => [r.line, r.id, r.input])], [b.total, b.items.map((r) => [r.line, r.id, r.input])], JSON.stringify(filter));
      }
    }
    // Another program appends: the next listing counts it.
    fs.appendFileSync(path.join(fw.dir, fw.config.dataset.path), 'still not json\n');
    assert.equal((await files.list()).find((i) => i.training)!.invalid, 2);
  });
});
