import { strict as assert } from 'node:assert';
import { parseConfig } from '../../../daemon/config/load';
import { DEFAULT_CONFIG } from '../../../daemon/config/schema';
import { CONFIG_FILE, configErrorOf as errorOf } from './helpers';

describe('config: finetuning.distributed', () => {
  it('defaults to one process with DDP', () => {
    assert.deepEqual(DEFAULT_CONFIG.finetuning.distributed, { strategy: 'ddp', processes: 1 });
  });

  it('takes auto or a count of processes, and fsdp or zero3', () => {
    assert.deepEqual(parseConfig('finetuning:\n  distributed:\n    processes: auto\n    strategy: fsdp\n', CONFIG_FILE).finetuning.distributed, { strategy: 'fsdp', processes: 'auto' });
    assert.deepEqual(parseConfig('finetuning:\n  distributed: {processes: "4", strategy: zero3}\n', CONFIG_FILE).finetuning.distributed, { strategy: 'zero3', processes: 4 });
  });

  it('names the file, line, key and what was expected for a bad value', () => {
    assert.match(errorOf('finetuning:\n  distributed:\n    processes: 0\n'), /config\/models\.yml:3:16 finetuning\.distributed\.processes: expected auto or a positive number of processes, got 0/);
    assert.match(errorOf('finetuning:\n  distributed:\n    processes: many\n'), /finetuning\.distributed\.processes: expected auto or a positive number of processes, got "many"/);
    assert.match(errorOf('finetuning:\n  distributed:\n    strategy: deepspeed\n'), /finetuning\.distributed\.strategy: expected one of ddp, fsdp, zero3, got "deepspeed"/);
    assert.match(errorOf('finetuning:\n  distributed:\n    process: 2\n'), /finetuning\.distributed\.process: unknown key; did you mean "processes"\?/);
  });
});
