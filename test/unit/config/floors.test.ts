import { strict as assert } from 'node:assert';
import { parseConfig } from '../../../daemon/config/load';
import { DEFAULT_CONFIG, floorsFor } from '../../../daemon/config/schema';
import { CONFIG_FILE, configErrorOf as errorOf } from './helpers';

describe('config: judge.floors and judge.calibration', () => {
  it('defaults to a consistency floor of 0.8 and the shipped calibration', () => {
    assert.deepEqual(floorsFor(DEFAULT_CONFIG.judge, 'summarization'), { consistency: 0.8 });
    assert.deepEqual(floorsFor(DEFAULT_CONFIG.judge, 'qa'), {}, 'Q&A has no consistency criterion');
    assert.equal(DEFAULT_CONFIG.judge.calibration, 'auto');
  });

  it('keeps the default floor when another criterion gets one, and 0 turns a floor off', () => {
    const c = parseConfig('judge:\n  floors:\n    fluency: 0.5\n', CONFIG_FILE);
    assert.deepEqual(floorsFor(c.judge, 'summarization'), { consistency: 0.8, fluency: 0.5 });
    const off = parseConfig('judge:\n  floors:\n    consistency: 0\n', CONFIG_FILE);
    assert.deepEqual(floorsFor(off.judge, 'summarization'), {});
  });

  it('lets one task override a floor, for that task only', () => {
    const c = parseConfig('judge:\n  floors:\n    consistency: 0.7\n    summarization:\n      consistency: 0.9\n    qa:\n      groundedness: 0.6\n', CONFIG_FILE);
    assert.deepEqual(floorsFor(c.judge, 'summarization'), { consistency: 0.9 });
    assert.deepEqual(floorsFor(c.judge, 'qa'), { groundedness: 0.6 });
    assert.deepEqual(floorsFor(c.judge, 'classification'), {});
  });

  it('names the file, line, key and what was expected for a bad floor', () => {
    assert.match(errorOf('judge:\n  floors:\n    consistency: 1.5\n'), /config\/models\.yml:3:18 judge\.floors\.consistency: expected a number from 0 to 1, got 1\.5/);
    assert.match(errorOf('judge:\n  floors:\n    consistancy: 0.5\n'), /judge\.floors\.consistancy.*did you mean "consistency"/);
    assert.match(errorOf('judge:\n  floors:\n    qa:\n      coherence: 0.5\n'), /judge\.floors\.qa\.coherence/);
    assert.match(errorOf('judge:\n  calibration: always\n'), /judge\.calibration: expected one of auto, none, got "always"/);
  });
});
