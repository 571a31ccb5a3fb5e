import { strict as assert } from 'node:assert';
import { parseConfig } from '../../../daemon/config/load';
import { DEFAULT_CONFIG } from '../../../daemon/config/schema';
import { CONFIG_FILE, configErrorOf as errorOf } from './helpers';

describe('config: finetuning.runner: ray and finetuning.ray', () => {
  it('has no cluster unless one is named', () => {
    assert.deepEqual(DEFAULT_CONFIG.finetuning.ray, { address: null, storage: null });
  });

  it('takes the dashboard URL and an absolute shared folder', () => {
    const f = parseConfig('finetuning:\n  runner: ray\n  ray:\n    address: http://head:8265\n    storage: /mnt/shared\n', CONFIG_FILE).finetuning;
    assert.equal(f.runner, 'ray');
    assert.deepEqual(f.ray, { address: 'http://head:8265', storage: '/mnt/shared' });
  });

  it('names the file, line, key and what was expected for a bad value', () => {
    assert.match(errorOf('finetuning:\n  ray:\n    address: head:8265\n'), /config\/models\.yml:3:14 finetuning\.ray\.address: expected the Ray dashboard URL, such as "http:\/\/127\.0\.0\.1:8265", or null, got "head:8265"/);
    assert.match(errorOf('finetuning:\n  ray:\n    storage: shared/models\n'), /finetuning\.ray\.storage: expected an absolute folder path or null, got "shared\/models"/);
    assert.match(errorOf('finetuning:\n  ray:\n    adress: http://head:8265\n'), /finetuning\.ray\.adress: unknown key; did you mean "address"\?/);
  });
});
