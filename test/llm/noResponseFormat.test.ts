// A server without response_format. The real llama.cpp server has it, so a proxy in front of it
// SIMULATES an older server that refuses the field (see RecordingProxy). The other half of this
// path, a real server refusing one form of response_format, is in judge.test.ts (json_schema → 500).
import { strict as assert } from 'node:assert';
import { OpenAIJudge } from '../../daemon/judge/openai/OpenAIJudge';
import { JudgeError } from '../../daemon/judge/types';
import { samplesOf } from '../helpers/samples';
import { LlamaServer, MODEL_ALIAS } from './LlamaServer';
import { requireLlmEnv } from './llmEnv';
import { RecordingProxy } from './RecordingProxy';

describe('openai judge against a real llama.cpp server behind a proxy simulating a server without response_format', function () {
  let server: LlamaServer;
  let proxy: RecordingProxy;

  before(async function () {
    const env = await requireLlmEnv(this);
    server = await LlamaServer.start(env);
    proxy = await RecordingProxy.start(server.baseUrl, { withoutResponseFormat: true });
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('steps down to a plain prompt, remembers it, and says a model that writes no JSON needs response_format', async () => {
    const logs: string[] = [];
    const j = new OpenAIJudge({ baseUrl: proxy.baseUrl, model: MODEL_ALIAS, timeoutMs: 30_000, maxRetries: 1, backoffBaseMs: 10, concurrency: 1, samples: 1, log: (l) => logs.push(l) });
    const [first, second] = samplesOf('good', 2, 31);

    const err = await j.judge(first, 'summarization').then(
      () => assert.fail('a random model without a grammar should not produce the judge JSON'),
      (e: unknown) => e,
    );
    // every form of response_format refused, then the prompt alone (and its retry) reached the real server
    assert.deepEqual(proxy.formats, ['json_schema', 'json_object', 'json_object', 'none', 'none']);
    assert.equal(j.capabilities.format, 'text');
    assert.ok(err instanceof JudgeError, String(err));
    assert.match(err.message, new RegExp(`judge ${MODEL_ALIAS} gave an unusable answer \\(2 attempts\\): no JSON object in the answer`));
    assert.match(err.hint, /a server that supports response_format json_schema/);
    assert.match(logs.join('\n'), /trying plain text/);

    // The next sample goes straight to the plain prompt.
    await j.judge(second, 'summarization').catch(() => undefined);
    assert.deepEqual(proxy.formats.slice(5), ['none', 'none']);
  });
});
