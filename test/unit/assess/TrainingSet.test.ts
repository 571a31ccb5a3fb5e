// The training set by slot (what the threshold's recount walks) says the same as by id, people's
// annotations included as they change, and it refuses parts numbered two different ways.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Assessor } from '../../../daemon/assess/Assessor';
import { LatestById } from '../../../daemon/assess/LatestById';
import { TrainingSet } from '../../../daemon/assess/TrainingSet';
import { defaultConfig, floorsFor } from '../../../daemon/config';
import { createJudge } from '../../../daemon/judge/createJudge';
import { Metrics } from '../../../daemon/metrics';
import { annotation as annotationSchema, type Annotation } from '../../../daemon/protocol';
import { DatasetStore } from '../../../daemon/store/DatasetStore';
import { silentLogger } from '../../../daemon/store/logger';
import { sampleId } from '../../../daemon/store/sampleId';
import { samplesOf } from '../../helpers/samples';

describe('assess/TrainingSet', () => {
  const config = defaultConfig();
  const task = config.finetuning.task;
  const settings = { task, gate: { minAverage: config.judge.min_average, floors: floorsFor(config.judge, task) }, criteria: [] };
  let dir: string;
  let store: DatasetStore;
  let annotations: LatestById<Annotation>;
  const closing: { close(): Promise<void> }[] = [];

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-training-set-'));
    store = await DatasetStore.open({ datasetPath: path.join(dir, 'data.jsonl'), stateDir: dir, logger: silentLogger });
    annotations = await LatestById.open(dir, 'annotations.jsonl', (v) => annotationSchema.parse(v), silentLogger);
    closing.push(store, annotations);
  });
  afterEach(async () => {
    for (const c of closing.splice(0)) await c.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('by slot, every line reads as it does by id, as annotations come and go', async () => {
    const assessor = await Assessor.open(dir, createJudge(config.judge), settings, new Metrics(), silentLogger, store.sampleIds);
    closing.push({ close: () => assessor.close() });
    const samples = [...samplesOf('good', 12, 3), ...samplesOf('flawed', 12, 4)];
    await store.append(samples); // appended as they are: rejected ones too, as a user's file may hold
    await assessor.record(await Promise.all(samples.slice(0, 20).map((s) => assessor.judgeOne(sampleId(s), s)))); // four left unjudged
    const set = new TrainingSet(store, assessor, annotations);
    const agree = () => {
      const slots = set.lineSlots();
      assert.equal(slots.length, samples.length);
      store.ids().forEach((id, position) => {
        assert.equal(set.slotOf(id), slots[position]);
        assert.equal(set.hasAt(slots[position]), true);
        assert.deepEqual(set.stateAt(slots[position]), set.stateOf(id), `line ${position + 1}`);
      });
    };
    agree();
    const at = new Date().toISOString();
    await annotations.record([{ id: sampleId(samples[13]), action: 'accept', at }, { id: sampleId(samples[22]), action: 'reject', at }]);
    agree();
    assert.equal(set.stateAt(set.slotOf(sampleId(samples[13]))).annotation?.action, 'accept');
    await annotations.record([{ id: sampleId(samples[13]), action: 'note', note: 'fine after all', at }]);
    agree();
    assert.equal(set.hasAt(set.slotOf(sampleId({ input: 'not', output: 'there' }))), false);
  });

  it('refuses a store and an assessor numbering samples two different ways', async () => {
    const assessor = await Assessor.open(dir, createJudge(config.judge), settings, new Metrics(), silentLogger);
    closing.push({ close: () => assessor.close() });
    assert.throws(() => new TrainingSet(store, assessor, annotations), /different numberings of sample ids/);
  });
});
