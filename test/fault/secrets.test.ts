// Finding 7 of issue 10: the integration command gets a minimal environment, and a secret never
// appears in an error message (the HTTP client quotes an invalid Authorization header value).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runIntegration, type PromotionEvent } from '../../daemon/registry/integrationHook';
import { createRawJudge } from '../../daemon/judge/createJudge';
import { parseConfig } from '../../daemon/config';
import { toProtocolError } from '../../daemon/errors/toProtocolError';
import { withHint } from '../../daemon/errors/DomainError';
import { Logger } from '../../daemon/log';

const saved = { ...process.env };
function setEnv(vars: Record<string, string>): void {
  Object.assign(process.env, vars);
}

describe('fault: secrets and the integration command', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-secret-'))));
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the command sees PATH, HOME, FINETUNE_* and the listed variables, not the judge key or HF_TOKEN', async () => {
    setEnv({ OPENAI_API_KEY: 'sk-judge-key-123', HF_TOKEN: 'hf_secret_456', UNRELATED: 'x', FINETUNE_EXTRA: 'kept', AWS_PROFILE: 'dev' });
    const event = { modelName: 'm', version: 'v1', path: dir, metadata: {} } as unknown as PromotionEvent;
    const [result] = await runIntegration({ command: 'env', webhook: null, env: ['AWS_PROFILE'] }, event, { cwd: dir });
    assert.equal(result.ok, true, result.detail);
    const names = new Set(('output' in result ? result.output : '').split('\n').map((l) => l.split('=')[0]).filter(Boolean));
    for (const name of ['PATH', 'HOME', 'FINETUNE_EXTRA', 'FINETUNE_MODEL_VERSION', 'FINETUNE_MODEL_PATH', 'AWS_PROFILE']) assert.ok(names.has(name), `${name} is passed`);
    for (const name of ['OPENAI_API_KEY', 'HF_TOKEN', 'UNRELATED']) assert.ok(!names.has(name), `${name} is not passed`);
  });

  it('a judge key with a newline is not quoted by the judge error, its protocol error or the log', async () => {
    const key = 'sk-live-9f8e7d6c\nsecond-line-5a4b3c';
    setEnv({ MY_JUDGE_VAR: key });
    const config = parseConfig('judge:\n  provider: openai\n  openai:\n    base_url: http://127.0.0.1:9/v1\n    api_key_env: MY_JUDGE_VAR\n    max_retries: 0\n', 'config/models.yml');
    const judge = createRawJudge(config.judge);
    const err = await judge.judge({ input: 'a text', output: 'a summary' }, 'summarization').then(
      () => assert.fail('the judge cannot send an invalid header'),
      (e: unknown) => e,
    );
    const log = new Logger({ file: path.join(dir, 'finetuning.log'), maxBytes: 1 << 20, keep: 1 });
    log.error('judge.failed', (err as Error).message);
    log.close();
    const p = toProtocolError(err);
    for (const [where, text] of [['protocol message', p.message], ['hint', p.data.hint ?? ''], ['per-line text', withHint(err)], ['log file', fs.readFileSync(path.join(dir, 'finetuning.log'), 'utf8')]]) {
      for (const part of ['sk-live-9f8e7d6c', 'second-line-5a4b3c']) assert.ok(!text.includes(part), `${where} quotes the key: ${text}`);
    }
  });
});
