import { strict as assert } from 'node:assert';
import { ConfigError } from '../../../daemon/config/ConfigError';
import { parseConfig } from '../../../daemon/config/load';
import { DEFAULT_CONFIG } from '../../../daemon/config/schema';
import { trainerArgs } from '../../../daemon/runs/trainerArgs';

const FILE = 'config/models.yml';
const RUN = { id: 'r1', task: 'summarization', baseModel: 'tiny-random-mistral', snapshotFile: 's.jsonl', snapshotHash: 'h' };

function packingFlag(args: string[]): string {
  return args[args.indexOf('--packing') + 1];
}

describe('config: finetuning.packing', () => {
  it('is on by default and reaches the trainer as --packing on', () => {
    assert.equal(DEFAULT_CONFIG.finetuning.packing, true);
    assert.equal(packingFlag(trainerArgs(DEFAULT_CONFIG.finetuning, RUN)), 'on');
  });

  it('false turns it off for the trainer', () => {
    const f = parseConfig('finetuning:\n  packing: false\n', FILE).finetuning;
    assert.equal(packingFlag(trainerArgs(f, RUN)), 'off');
  });

  it('names the file, line and key for a value that is not a boolean', () => {
    let message = '';
    try {
      parseConfig('finetuning:\n  packing: sometimes\n', FILE);
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      message = err.toString();
    }
    assert.match(message, /config\/models\.yml:2:\d+ finetuning\.packing: expected/);
  });
});
