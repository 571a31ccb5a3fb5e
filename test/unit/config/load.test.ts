import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../../daemon/config/ConfigError';
import { configPath, loadConfig, parseConfig } from '../../../daemon/config/load';
import { DEFAULT_CONFIG, defaultConfig, type Config } from '../../../daemon/config/schema';
import { fixture, makeWorkspace, removeWorkspace, REPO_ROOT, writeConfig } from './helpers';

const FILE = 'config/models.yml';

/** The ConfigError thrown for `text`, as its toString() lines. */
function errorLines(text: string): string[] {
  try {
    parseConfig(text, FILE);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.toString().split('\n');
  }
  assert.fail('expected the config to be rejected');
}

/** The defaults with some keys of `finetuning` and `judge` replaced (shallowly). */
function withDefaults(overrides: { finetuning?: Partial<Config['finetuning']>; judge?: Partial<Config['judge']> }): Config {
  const config = defaultConfig();
  Object.assign(config.finetuning, overrides.finetuning ?? {});
  Object.assign(config.judge, overrides.judge ?? {});
  return config;
}

describe('config: loading config/models.yml', () => {
  const workspaces: string[] = [];
  const workspace = (text?: string) => {
    const dir = makeWorkspace(text);
    workspaces.push(dir);
    return dir;
  };
  after(() => workspaces.forEach(removeWorkspace));

  describe('valid files', () => {
    it('parses the seed block (block style) to the defaults', () => {
      const config = loadConfig(workspace(fixture('seed.yml')));
      assert.deepEqual(config, DEFAULT_CONFIG);
      assert.equal(config.finetuning.learning_rate, 2e-5);
      assert.equal(typeof config.finetuning.learning_rate, 'number');
    });

    it('parses the seed block written as one flow mapping', () => {
      assert.deepEqual(loadConfig(workspace(fixture('seed-flow.yml'))), DEFAULT_CONFIG);
    });

    it('gives the defaults when the file is missing', () => {
      const dir = workspace();
      assert.equal(fs.existsSync(configPath(dir)), false);
      assert.deepEqual(loadConfig(dir), DEFAULT_CONFIG);
    });

    it('gives the defaults for an empty file, a comment-only file and a null document', () => {
      for (const text of ['', '\n\n', '# nothing here\n  # still nothing\n', '~\n', '---\n']) {
        assert.deepEqual(parseConfig(text, FILE), DEFAULT_CONFIG, JSON.stringify(text));
      }
    });

    it('gives a mutable copy, never the frozen DEFAULT_CONFIG itself', () => {
      const config = loadConfig(workspace());
      config.finetuning.threshold = 1;
      config.finetuning.lora.r = 1;
      assert.equal(DEFAULT_CONFIG.finetuning.threshold, 100);
      assert.equal(DEFAULT_CONFIG.finetuning.lora.r, 16);
      assert.throws(() => {
        (DEFAULT_CONFIG.finetuning.lora as { r: number }).r = 2;
      }, TypeError);
    });

    it('merges a partial file over the defaults, section by section', () => {
      const config = loadConfig(workspace(fixture('partial.yml')));
      const expected = defaultConfig();
      expected.finetuning.threshold = 25;
      expected.finetuning.lora.r = 8;
      expected.finetuning.base_models = {
        'mistral-7b': 'mistralai/Mistral-7B-v0.1',
        tiny: 'hf-internal-testing/tiny-random-MistralForCausalLM',
      };
      expected.judge.provider = 'openai';
      expected.judge.criteria = { summarization: ['consistency', 'relevance'] };
      expected.judge.openai.model = 'gpt-4o';
      assert.deepEqual(config, expected);
    });

    it('treats an empty section (all keys commented out) as all defaults', () => {
      assert.deepEqual(parseConfig('finetuning:\n  # threshold: 5\njudge:\n', FILE), DEFAULT_CONFIG);
    });

    it('lets base_models entries override the built-in aliases', () => {
      const config = parseConfig('finetuning:\n  base_models: {mistral-7b: "my-org/mistral"}\n', FILE);
      assert.deepEqual(config.finetuning.base_models, { 'mistral-7b': 'my-org/mistral' });
    });

    it('ignores a UTF-8 byte order mark and CRLF line ends', () => {
      const config = parseConfig('\ufefffinetuning:\r\n  threshold: 7\r\n', FILE);
      assert.equal(config.finetuning.threshold, 7);
    });

    it('accepts every documented value form', () => {
      const config = parseConfig(
        [
          'finetuning:',
          '  gpus: 2',
          '  runner: docker',
          '  method: qlora',
          '  task: qa',
          '  docker: {memory: 17179869184, shm_size: "512m", cpu_fallback: true}',
          '  integration: {command: "make deploy", webhook: "https://example.test/hook"}',
          '  gate: {metric: eval_rougeL, mode: max, margin: 0.01}',
          'judge:',
          '  criteria:',
          '    qa: [correctness, groundedness]',
          '    classification:',
          '      - correctness',
          'metrics: {port: 0}',
          'logs: {keep: 0}',
        ].join('\n'),
        FILE,
      );
      assert.equal(config.finetuning.gpus, 2);
      assert.equal(config.finetuning.runner, 'docker');
      assert.equal(config.finetuning.docker.memory, 17179869184);
      assert.equal(config.finetuning.docker.shm_size, '512m');
      assert.equal(config.finetuning.integration.command, 'make deploy');
      assert.deepEqual(config.judge.criteria, { qa: ['correctness', 'groundedness'], classification: ['correctness'] });
      assert.equal(config.finetuning.gate.mode, 'max');
      assert.equal(config.metrics.port, 0);
      assert.equal(config.logs.keep, 0);
    });

    it('the shipped config/models.yml parses and equals the embedded defaults', () => {
      assert.deepEqual(loadConfig(REPO_ROOT), DEFAULT_CONFIG);
    });
  });

  describe('numbers written as strings ("2e-5")', () => {
    it('reads an unquoted 2e-5 as a number', () => {
      assert.equal(parseConfig('finetuning:\n  learning_rate: 2e-5\n', FILE).finetuning.learning_rate, 2e-5);
    });

    it('coerces numeric strings such as "2e-5", "1E-4", " 100 " and "3.0"', () => {
      const config = parseConfig(
        'finetuning:\n  learning_rate: "2e-5"\n  num_epochs: \'3.0\'\n  threshold: " 100 "\n  lora: {dropout: "1E-1"}\n  gpus: "2"\n',
        FILE,
      );
      assert.deepEqual(config, withDefaults({ finetuning: { learning_rate: 2e-5, num_epochs: 3, threshold: 100, lora: { r: 16, alpha: 32, dropout: 0.1 }, gpus: 2 } }));
    });

    it('rejects strings that are not numbers', () => {
      assert.deepEqual(errorLines('finetuning:\n  learning_rate: many\n  num_epochs: "1e"\n'), [
        'config/models.yml:2:18 finetuning.learning_rate: expected a positive number, got "many"',
        'config/models.yml:3:15 finetuning.num_epochs: expected a positive number, got "1e"',
      ]);
    });

    it('rejects numbers out of range', () => {
      assert.deepEqual(errorLines('finetuning:\n  learning_rate: -2e-5\n  eval_split: 0.5\n  threshold: 2.5\n  gpus: 0\n'), [
        'config/models.yml:2:18 finetuning.learning_rate: expected a positive number, got -0.00002',
        'config/models.yml:3:15 finetuning.eval_split: expected a number between 0 and 0.5 (exclusive), got 0.5',
        'config/models.yml:4:14 finetuning.threshold: expected a positive integer, got 2.5',
        'config/models.yml:5:9 finetuning.gpus: expected auto, all, none or a positive number of GPUs, got 0',
      ]);
    });
  });

  describe('errors: file:line:col path: message', () => {
    it('threshold "many" points at the value', () => {
      const text = [
        '# Fine-tune Flywheel',
        '',
        'finetuning:',
        '  enabled: true',
        '  base_model: "mistral-7b"',
        '  # the threshold:',
        '  threshold:   many',
      ].join('\n');
      assert.deepEqual(errorLines(text), ['config/models.yml:7:16 finetuning.threshold: expected a positive integer, got "many"']);
    });

    it('the message from the brief, character for character', () => {
      const text = 'finetuning:\n  enabled: true\n  base_model: "mistral-7b"\n  output_dir: "models/finetuned"\n  batch_size: 4\n  num_epochs: 3\n  threshold: many\n';
      assert.deepEqual(errorLines(text), ['config/models.yml:7:14 finetuning.threshold: expected a positive integer, got "many"']);
    });

    it('a wrong enum value lists the choices', () => {
      assert.deepEqual(errorLines('finetuning:\n  runner: dockr\n  method: LoRA\njudge:\n  provider: 3\n'), [
        'config/models.yml:2:11 finetuning.runner: expected one of auto, docker, local, ray, got "dockr"',
        'config/models.yml:3:11 finetuning.method: expected one of lora, qlora, full, got "LoRA"',
        'config/models.yml:5:13 judge.provider: expected one of heuristic, openai, got 3',
      ]);
    });

    it('an unknown key points at the key and suggests the closest one', () => {
      const text = 'finetuning:\n  enabled: false\n  treshold: 5\n  learningRate: 1\n  lora:\n    alhpa: 4\n  gpu: 1\n  "base-model": x\n';
      assert.deepEqual(errorLines(text), [
        'config/models.yml:3:3 finetuning.treshold: unknown key; did you mean "threshold"?',
        'config/models.yml:4:3 finetuning.learningRate: unknown key; did you mean "learning_rate"?',
        'config/models.yml:6:5 finetuning.lora.alhpa: unknown key; did you mean "alpha"?',
        'config/models.yml:7:3 finetuning.gpu: unknown key; did you mean "gpus"?',
        'config/models.yml:8:3 finetuning.base-model: unknown key; did you mean "base_model"?',
      ]);
    });

    it('an unknown key far from any lists the valid keys; one that belongs a level down says so', () => {
      assert.deepEqual(errorLines('metrics:\n  colour: red\nthreshold: 5\nbase: 1\n'), [
        'config/models.yml:2:3 metrics.colour: unknown key; expected one of host, port',
        'config/models.yml:3:1 threshold: unknown key; did you mean "finetuning.threshold" (indented under finetuning:)?',
        'config/models.yml:4:1 base: unknown key; expected one of finetuning, judge, dataset, metrics, logs',
      ]);
    });

    it('a YAML syntax error gives js-yaml\'s reason at its position', () => {
      assert.deepEqual(errorLines('finetuning:\n  threshold: 100\n   batch_size: 4\n'), [
        'config/models.yml:3:14 bad indentation of a mapping entry',
      ]);
      assert.deepEqual(errorLines('finetuning: {threshold: 100\n'), [
        'config/models.yml:2:1 unexpected end of the stream within a flow collection',
      ]);
      assert.deepEqual(errorLines('finetuning:\n  threshold: 1\n  threshold: 2\n'), ['config/models.yml:3:3 duplicated mapping key']);
    });

    it('a nested key inside a flow mapping points into the flow mapping', () => {
      assert.deepEqual(errorLines('finetuning:\n  lora: {r: 16, alpha: big, dropuot: 0.1}\n'), [
        'config/models.yml:2:24 finetuning.lora.alpha: expected a positive number, got "big"',
        'config/models.yml:2:29 finetuning.lora.dropuot: unknown key; did you mean "dropout"?',
      ]);
      assert.deepEqual(errorLines('finetuning: {docker: {memory: lots}}\n'), [
        'config/models.yml:1:31 finetuning.docker.memory: expected a size such as "16g" or "512m", or a number of bytes, got "lots"',
      ]);
    });

    it('quoted keys, comments and values on the next line are located', () => {
      const text = [
        'finetuning:',
        '  "lora":   # LoRA settings',
        '    {"r": "sixteen"}',
        "  'threshold':",
        '    # comment between key and value',
        '    0',
      ].join('\n');
      assert.deepEqual(errorLines(text), [
        'config/models.yml:3:11 finetuning.lora.r: expected a positive integer, got "sixteen"',
        'config/models.yml:6:5 finetuning.threshold: expected a positive integer, got 0',
      ]);
    });

    it('an empty value is reported at its key', () => {
      assert.deepEqual(errorLines('finetuning:\n  threshold:\n  enabled: yes\n'), [
        'config/models.yml:2:3 finetuning.threshold: expected a positive integer, got null',
        'config/models.yml:3:12 finetuning.enabled: expected true or false, got "yes"',
      ]);
    });

    it('a section that is not a mapping', () => {
      assert.deepEqual(errorLines('finetuning: 5\njudge: [heuristic]\n'), [
        'config/models.yml:1:13 finetuning: expected a mapping, got 5',
        'config/models.yml:2:8 judge: expected a mapping, got a list',
      ]);
    });

    it('a top level that is not a mapping', () => {
      assert.deepEqual(errorLines('# comment\n- finetuning\n'), [
        'config/models.yml:2:1 expected a mapping at the top level (finetuning:, judge:, dataset:, metrics:, logs:), got a list',
      ]);
      assert.deepEqual(errorLines('hello'), [
        'config/models.yml:1:1 expected a mapping at the top level (finetuning:, judge:, dataset:, metrics:, logs:), got "hello"',
      ]);
    });

    it('criteria names are checked against daemon/judge/criteria.ts', () => {
      const text = 'judge:\n  criteria:\n    summarization: [coherence, fluenc]\n    qa:\n      - correctness\n      - correctness\n    chat: [fluency]\n    classification: []\n';
      assert.deepEqual(errorLines(text), [
        'config/models.yml:3:32 judge.criteria.summarization[1]: expected one of coherence, consistency, fluency, relevance, got "fluenc"',
        'config/models.yml:6:9 judge.criteria.qa[1]: criterion "correctness" is listed twice',
        'config/models.yml:7:5 judge.criteria.chat: unknown key; expected one of summarization, classification, qa',
        'config/models.yml:8:21 judge.criteria.classification: expected at least one of correctness, format, confidence, got an empty list',
      ]);
    });

    it('never echoes what was put in api_key_env (it may be the key itself)', () => {
      const lines = errorLines('judge:\n  openai:\n    api_key_env: "sk-proj-SECRET"\n');
      assert.equal(lines.length, 1);
      assert.match(lines[0], /^config\/models\.yml:3:18 judge\.openai\.api_key_env: expected the name of an environment variable/);
      assert.doesNotMatch(lines[0], /SECRET/);
    });

    it('reports every problem, in file order, and keeps them as structured issues', () => {
      try {
        parseConfig('logs: {keep: -1}\nfinetuning:\n  task: chat\n  threshold: 0\n', FILE);
        assert.fail('expected an error');
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.issues, [
          { file: FILE, line: 1, column: 14, path: 'logs.keep', message: 'expected an integer >= 0, got -1' },
          { file: FILE, line: 3, column: 9, path: 'finetuning.task', message: 'expected one of summarization, classification, qa, got "chat"' },
          { file: FILE, line: 4, column: 14, path: 'finetuning.threshold', message: 'expected a positive integer, got 0' },
        ]);
        assert.equal(err.message, err.toString());
        assert.equal(err.name, 'ConfigError');
      }
    });

    it('values that come from an alias or a << merge point at the alias', () => {
      const text = 'shared: &ft\n  threshold: many\nfinetuning:\n  <<: *ft\n  lora: &l {r: x}\n  docker: *l\n';
      assert.deepEqual(errorLines(text), [
        'config/models.yml:1:1 shared: unknown key; expected one of finetuning, judge, dataset, metrics, logs',
        'config/models.yml:4:7 finetuning.threshold: expected a positive integer, got "many"',
        'config/models.yml:5:16 finetuning.lora.r: expected a positive integer, got "x"',
        'config/models.yml:6:11 finetuning.docker.r: unknown key; expected one of image, base_image, memory, shm_size, cpu_fallback',
      ]);
    });
  });

  describe('loadConfig', () => {
    it('shows the file relative to the workspace', () => {
      const dir = workspace('finetuning:\n  threshold: many\n');
      assert.throws(() => loadConfig(dir), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.toString(), 'config/models.yml:2:14 finetuning.threshold: expected a positive integer, got "many"');
        return true;
      });
    });

    it('reports a folder where the file should be', () => {
      const dir = workspace();
      fs.mkdirSync(path.join(dir, 'config', 'models.yml'), { recursive: true });
      assert.throws(() => loadConfig(dir), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.toString(), 'config/models.yml cannot read the file: it is a folder, not a file');
        assert.deepEqual(err.issues, [{ file: FILE, path: '', message: 'cannot read the file: it is a folder, not a file' }]);
        return true;
      });
    });

    it('uses js-yaml\'s safe schema: no JS types', () => {
      assert.deepEqual(errorLines('finetuning:\n  threshold: !!js/function "function () {}"\n'), [
        'config/models.yml:2:44 unknown tag !<tag:yaml.org,2002:js/function>',
      ]);
    });
  });

  it('writeConfig helper writes where configPath points', () => {
    const dir = workspace();
    assert.equal(writeConfig(dir, ''), configPath(dir));
  });
});
