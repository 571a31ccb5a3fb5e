import { strict as assert } from 'node:assert';
import { countOverrides, fileLabels, overrideLabels } from '../../../daemon/assess/gatherLabels';
import type { LabelledSample } from '../../../daemon/assess/labelledSamples';
import type { Sample } from '../../../daemon/judge/types';
import type { Annotation } from '../../../daemon/protocol';
import { parseJsonlText } from '../../../daemon/store/jsonlLines';
import { sampleId } from '../../../daemon/store/sampleId';

const sample = (n: number): Sample => ({ input: `The council met on day ${n}.`, output: `Council met, day ${n}.` });

describe('gathering labels', () => {
  it('reads a labels file, listing each bad line with its number and why, and keeping every good one', async () => {
    const text = [
      JSON.stringify({ ...sample(1), human: 1 }),
      'not json',
      JSON.stringify({ ...sample(2) }),
      JSON.stringify({ ...sample(3), human: '1' }),
      '',
      JSON.stringify({ ...sample(4), human: 1.5 }),
      JSON.stringify({ input: 'x', human: 0 }),
      JSON.stringify({ ...sample(5), human: 0.67, corpus: 'cnndm' }),
    ].join('\n');
    const g = await fileLabels({ shown: 'labels.jsonl', lines: (async function* () { yield* parseJsonlText(text); })() });
    assert.deepEqual(g.labels.map((l) => [l.human, l.where, l.id]), [
      [1, 'labels.jsonl:1', sampleId(sample(1))],
      [0.67, 'labels.jsonl:8', sampleId(sample(5))],
    ]);
    assert.deepEqual(g.labels[1].sample, sample(5), 'only input and output are judged');
    assert.deepEqual(g.invalid.map((i) => i.line), [2, 3, 4, 6, 7]);
    assert.match(g.invalid[0].error, /not valid JSON/);
    assert.match(g.invalid[1].error, /missing "human" \(a number from 0 to 1/);
    assert.match(g.invalid[2].error, /"human" must be a number from 0 to 1 \(1 = accepted\), got string/);
    assert.match(g.invalid[3].error, /must be from 0 to 1 \(1 = accepted\), got 1.5/);
    assert.match(g.invalid[4].error, /missing "output"/);
  });

  it('turns Accept into 1 and Reject into 0, ignores notes and corrections, and finds texts the journal lacks', async () => {
    const ids = [1, 2, 3, 4, 5].map((n) => sampleId(sample(n)));
    const annotations = new Map<string, Annotation>([
      [ids[0], { id: ids[0], action: 'accept', at: 't' }],
      [ids[1], { id: ids[1], action: 'reject', at: 't' }],
      [ids[2], { id: ids[2], action: 'note', note: 'hm', at: 't' }],
      [ids[3], { id: ids[3], action: 'reject', at: 't' }],
      [ids[4], { id: ids[4], action: 'accept', at: 't' }],
    ]);
    const labelled = new Map<string, LabelledSample>([[ids[0], { id: ids[0], ...sample(1), at: 't' }]]);
    const asked: string[][] = [];
    const g = await overrideLabels({
      annotations: { keys: () => [...annotations.keys()], get: (id) => annotations.get(id) },
      labelled: { get: (id) => labelled.get(id) },
      // The dataset files hold sample 2 only; sample 4's line is gone.
      async find(wanted) {
        asked.push([...wanted]);
        return new Map(wanted.has(ids[1]) ? [[ids[1], sample(2)]] : []);
      },
    });
    assert.deepEqual(asked, [[ids[1], ids[3], ids[4]]], 'only texts the journal lacks are looked for');
    assert.deepEqual(g.labels.map((l) => [l.id, l.human]), [[ids[0], 1], [ids[1], 0]]);
    assert.equal(g.missing, 2);
    assert.equal(countOverrides({ keys: () => [...annotations.keys()], get: (id) => annotations.get(id) }), 4);
  });
});
