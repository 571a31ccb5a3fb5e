// The wired daemon keeps the threshold count by the samples a request changed: a submit must not
// walk the whole training dataset (at a million samples that was a second per request).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrainingSet } from '../../../daemon/assess/TrainingSet';
import { defaultConfig } from '../../../daemon/config';
import { Flywheel } from '../../../daemon/core/Flywheel';
import { Logger } from '../../../daemon/log';
import { Metrics } from '../../../daemon/metrics';
import { jsonl, samplesOf } from '../../helpers/samples';

describe('core/Flywheel wiring', () => {
  it('a submit counts only the sample it changed; an outside edit counts everything again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-wiring-'));
    const good = samplesOf('good', 3, 91);
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'data/finetuning_dataset.jsonl'), jsonl(good.slice(0, 2)));
    const config = defaultConfig();
    config.finetuning = { ...config.finetuning, enabled: false, threshold: 10 };
    const log = new Logger({ file: path.join(dir, 'logs/finetuning.log'), maxBytes: 1_000_000, keep: 1 });
    const walk = TrainingSet.prototype.lineSlots;
    let walks = 0;
    TrainingSet.prototype.lineSlots = function (this: TrainingSet) {
      walks++;
      return walk.call(this);
    };
    const fw = await Flywheel.open(dir, config, log, new Metrics(), () => '');
    try {
      assert.equal(fw.runs.thresholdCount.collected, 2);
      walks = 0;
      const r = await fw.assess.submit({ input: good[2].input, output: good[2].output });
      assert.ok(r.stored);
      assert.equal(fw.runs.thresholdCount.collected, 3);
      assert.equal(walks, 0, 'the submit walked the whole dataset');
      await fw.assess.datasetEdited();
      assert.ok(walks > 0, 'an edit of unknown extent counts everything again');
      assert.equal(fw.runs.thresholdCount.collected, 3);
    } finally {
      TrainingSet.prototype.lineSlots = walk;
      await fw.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
