import { strict as assert } from 'node:assert';
import { CRITERIA } from '../../../daemon/judge/criteria';
import { TASK_TYPES } from '../../../daemon/judge/types';
import { ConfigError, formatIssue } from '../../../daemon/config/ConfigError';
import { formatPath } from '../../../daemon/config/load';
import {
  ConfigSchema,
  DEFAULT_CONFIG,
  defaultConfig,
  describeValue,
  knownKeysAt,
  parseByteSize,
  TASKS,
} from '../../../daemon/config/schema';
import { closest, editDistance } from '../../../daemon/config/suggest';

describe('config: schema and helpers', () => {
  it('DEFAULT_CONFIG holds the documented defaults', () => {
    const ft = DEFAULT_CONFIG.finetuning;
    assert.deepEqual(
      [ft.enabled, ft.threshold, ft.base_model, ft.output_dir, ft.batch_size, ft.learning_rate, ft.num_epochs],
      [true, 100, 'mistral-7b', 'models/finetuned', 4, 2e-5, 3],
    );
    assert.deepEqual(ft.lora, { r: 16, alpha: 32, dropout: 0.05 });
    assert.equal(ft.runner, 'auto');
    assert.equal(ft.gpus, 'auto');
    assert.deepEqual(ft.docker, {
      image: 'fine-tuning:latest',
      base_image: 'pytorch/pytorch:2.9.1-cuda12.8-cudnn9-runtime',
      memory: '16g',
      shm_size: '2g',
      cpu_fallback: false,
    });
    assert.deepEqual(ft.gate, { metric: 'eval_loss', mode: 'min', margin: 0 });
    assert.deepEqual(ft.integration, { command: null, webhook: null, env: [] });
    assert.deepEqual(ft.base_models, { 'mistral-7b': 'mistralai/Mistral-7B-v0.1' });
    assert.equal(DEFAULT_CONFIG.judge.provider, 'heuristic');
    assert.equal(DEFAULT_CONFIG.judge.min_average, 0.8);
    assert.deepEqual(DEFAULT_CONFIG.judge.criteria, {});
    assert.equal(DEFAULT_CONFIG.judge.openai.api_key_env, 'OPENAI_API_KEY');
    assert.deepEqual(DEFAULT_CONFIG.metrics, { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(DEFAULT_CONFIG.logs, { path: 'logs/finetuning.log', max_bytes: 10485760, keep: 5 });
    assert.deepEqual(DEFAULT_CONFIG.dataset, { path: 'data/finetuning_dataset.jsonl', glob: 'data/**/*.jsonl', max_line_bytes: 1048576 });
  });

  it('DEFAULT_CONFIG is deeply frozen; defaultConfig() is a fresh mutable copy', () => {
    assert.ok(Object.isFrozen(DEFAULT_CONFIG) && Object.isFrozen(DEFAULT_CONFIG.finetuning.docker));
    const copy = defaultConfig();
    assert.deepEqual(copy, DEFAULT_CONFIG);
    copy.finetuning.docker.memory = '1g';
    assert.equal(DEFAULT_CONFIG.finetuning.docker.memory, '16g');
    assert.notEqual(defaultConfig(), defaultConfig());
  });

  it('parsing {} gives the defaults', () => {
    assert.deepEqual(ConfigSchema.parse({}), DEFAULT_CONFIG);
  });

  it('its task list matches the judge contract', () => {
    assert.deepEqual([...TASKS], [...TASK_TYPES]);
    for (const task of TASK_TYPES) assert.ok(CRITERIA[task].length > 0);
  });

  it('knows the keys of each section', () => {
    assert.deepEqual(knownKeysAt([]), ['finetuning', 'judge', 'dataset', 'metrics', 'logs']);
    assert.deepEqual(knownKeysAt(['finetuning', 'lora']), ['r', 'alpha', 'dropout']);
    assert.deepEqual(knownKeysAt(['judge', 'criteria']), ['summarization', 'classification', 'qa']);
    assert.deepEqual(knownKeysAt(['finetuning', 'threshold']), []);
    assert.deepEqual(knownKeysAt(['nope']), []);
  });

  it('parseByteSize reads Docker-style sizes', () => {
    assert.equal(parseByteSize('16g'), 16 * 1024 ** 3);
    assert.equal(parseByteSize('512m'), 512 * 1024 ** 2);
    assert.equal(parseByteSize('2GiB'), 2 * 1024 ** 3);
    assert.equal(parseByteSize('1.5g'), 1.5 * 1024 ** 3);
    assert.equal(parseByteSize('100k'), 102400);
    assert.equal(parseByteSize('4096'), 4096);
    assert.equal(parseByteSize(1073741824), 1073741824);
    for (const bad of ['lots', '', '16x', '-1g', '0', '16gi', 0, -5, 1.5]) assert.equal(parseByteSize(bad), undefined, String(bad));
  });

  it('describeValue quotes strings and names collections', () => {
    assert.equal(describeValue('many'), '"many"');
    assert.equal(describeValue('say "hi"'), '"say \\"hi\\""');
    assert.equal(describeValue(3), '3');
    assert.equal(describeValue(Infinity), 'Infinity');
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue(false), 'false');
    assert.equal(describeValue([]), 'an empty list');
    assert.equal(describeValue([1]), 'a list');
    assert.equal(describeValue({ a: 1 }), 'a mapping');
    assert.equal(describeValue(new Date('2024-05-01T00:00:00Z')), 'a date (2024-05-01)');
    assert.equal(describeValue('x'.repeat(200)).length, 82);
  });

  it('formatPath writes dotted paths with indexes and quoted odd keys', () => {
    assert.equal(formatPath(['finetuning', 'threshold']), 'finetuning.threshold');
    assert.equal(formatPath(['judge', 'criteria', 'qa', 1]), 'judge.criteria.qa[1]');
    assert.equal(formatPath(['finetuning', 'base_models', 'org/model']), 'finetuning.base_models["org/model"]');
    assert.equal(formatPath([]), '');
  });

  it('ConfigError formats each issue on its own line', () => {
    const err = new ConfigError([
      { file: 'config/models.yml', line: 7, column: 14, path: 'finetuning.threshold', message: 'expected a positive integer, got "many"' },
      { file: 'config/models.yml', line: 2, column: 1, path: '', message: 'bad indentation of a mapping entry' },
      { file: 'config/models.yml', path: '', message: 'cannot read the file: EACCES' },
    ]);
    assert.equal(
      err.toString(),
      [
        'config/models.yml:7:14 finetuning.threshold: expected a positive integer, got "many"',
        'config/models.yml:2:1 bad indentation of a mapping entry',
        'config/models.yml cannot read the file: EACCES',
      ].join('\n'),
    );
    assert.equal(formatIssue(err.issues[0]), err.toString().split('\n')[0]);
    assert.ok(err instanceof Error);
    assert.ok(Object.isFrozen(err.issues));
  });

  describe('suggestions', () => {
    it('editDistance counts an adjacent swap as one edit', () => {
      assert.equal(editDistance('treshold', 'threshold'), 1);
      assert.equal(editDistance('alhpa', 'alpha'), 1);
      assert.equal(editDistance('kitten', 'sitting'), 3);
      assert.equal(editDistance('', 'abc'), 3);
      assert.equal(editDistance('same', 'same'), 0);
    });

    it('closest finds near misses, case/separator variants and prefixes, and nothing for strangers', () => {
      const keys = ['enabled', 'threshold', 'base_model', 'learning_rate', 'lora', 'seed', 'gpus'];
      assert.equal(closest('treshold', keys), 'threshold');
      assert.equal(closest('thrseholdd', keys), 'threshold');
      assert.equal(closest('baseModel', keys), 'base_model');
      assert.equal(closest('BASE-MODEL', keys), 'base_model');
      assert.equal(closest('learning', keys), 'learning_rate');
      assert.equal(closest('gpu', keys), 'gpus');
      assert.equal(closest('colour', keys), undefined);
      assert.equal(closest('base', ['task']), undefined);
      assert.equal(closest('learning', keys, { strict: true }), undefined);
    });
  });
});
