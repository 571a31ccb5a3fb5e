import { strict as assert } from 'node:assert';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { criteriaFor } from '../../../daemon/judge/criteria';
import { OpenAIJudge, type OpenAIJudgeOptions } from '../../../daemon/judge/openai/OpenAIJudge';
import { PROMPT_VERSION } from '../../../daemon/judge/prompts';
import { JudgeError, TASK_TYPES, type Sample, type TaskType } from '../../../daemon/judge/types';
import { FakeOpenAIServer, type FakeServerOptions } from '../../fixtures/openaiServer';
import { judgeError } from '../../helpers/judgeError';

const SOURCE = 'The city council approved the new park budget on Monday after a long debate about taxes.';
const FAITHFUL: Sample = { input: SOURCE, output: 'The city council approved the park budget on Monday.' };
const INVENTED: Sample = { input: SOURCE, output: 'The mayor cancelled the park budget in March.' };
const SAMPLES: Record<TaskType, Sample> = {
  summarization: FAITHFUL,
  classification: { input: 'I loved this film, the acting was superb.', output: 'positive' },
  qa: { input: 'Context: Paris is the capital of France.\nQuestion: What is the capital of France?', output: 'Paris is the capital of France.' },
};

describe('OpenAIJudge (against a fake OpenAI-compatible server)', () => {
  let server: FakeOpenAIServer;
  let logs: string[];

  async function serve(options: FakeServerOptions = {}): Promise<void> {
    await server.close();
    server = await FakeOpenAIServer.start(options);
  }

  function judge(o: Partial<OpenAIJudgeOptions> = {}): OpenAIJudge {
    return new OpenAIJudge({
      baseUrl: server.baseUrl,
      model: 'fake-judge',
      timeoutMs: 2000,
      maxRetries: 3,
      concurrency: 4,
      samples: 1,
      // The fixed scores below are the sampled ones; the logprob tests turn weighting on.
      logprobs: false,
      backoffBaseMs: 1,
      backoffMaxMs: 5,
      random: () => 0.5,
      log: (line) => logs.push(line),
      ...o,
    });
  }

  beforeEach(async () => {
    logs = [];
    server = await FakeOpenAIServer.start();
  });
  afterEach(() => server.close());

  describe('scoring', () => {
    for (const task of TASK_TYPES) {
      it(`returns a 0..1 score and a reason for every ${task} criterion`, async () => {
        const result = await judge().judge(SAMPLES[task], task);
        const names = criteriaFor(task).map((c) => c.name);
        assert.deepEqual(Object.keys(result.scores).sort(), [...names].sort());
        assert.deepEqual(Object.keys(result.rationale).sort(), [...names].sort());
        for (const name of names) {
          assert.ok(result.scores[name] >= 0 && result.scores[name] <= 1, `${name} = ${result.scores[name]}`);
          assert.match(result.rationale[name], new RegExp(`fake rule gave ${name}`));
        }
      });
    }

    it('maps the 1..5 scale to 0..1 and tells a faithful summary from an invented one', async () => {
      const j = judge();
      const good = await j.judge(FAITHFUL, 'summarization');
      const bad = await j.judge(INVENTED, 'summarization');
      assert.equal(good.scores.consistency, 1); // 5
      assert.equal(bad.scores.consistency, 0.25); // 2
      assert.equal(good.scores.coherence, 0.75); // 4
    });

    it('sends temperature 0 and a strict json_schema naming every criterion', async () => {
      await judge({ apiKey: 'sk-test' }).judge(FAITHFUL, 'summarization');
      const req = server.requests[0];
      assert.equal(req.path, '/v1/chat/completions');
      assert.equal(req.headers.authorization, 'Bearer sk-test');
      assert.equal(req.body.model, 'fake-judge');
      assert.equal(req.body.temperature, 0);
      assert.equal(req.body.n, undefined);
      assert.equal(req.body.response_format.type, 'json_schema');
      const js = req.body.response_format.json_schema;
      assert.equal(js.strict, true);
      assert.deepEqual(js.schema.required, ['coherence', 'consistency', 'fluency', 'relevance']);
      assert.equal(js.schema.additionalProperties, false);
      assert.deepEqual(js.schema.properties.consistency.properties.score.enum, [1, 2, 3, 4, 5]);
      assert.deepEqual(req.body.messages.map((m: { role: string }) => m.role), ['system', 'user']);
    });

    it('sends no Authorization header without a key', async () => {
      await judge().judge(FAITHFUL, 'summarization');
      assert.equal(server.requests[0].headers.authorization, undefined);
    });

    it('is named openai:<model> and versioned by prompt, model and scoring', () => {
      const j = judge();
      assert.equal(j.name, 'openai:fake-judge');
      assert.equal(j.version, `${PROMPT_VERSION}/openai:fake-judge`);
      assert.notEqual(judge({ model: 'other' }).version, j.version);
      assert.notEqual(judge({ samples: 3 }).version, j.version);
      assert.notEqual(judge({ logprobs: true }).version, j.version);
    });

    it('weights by logprobs unless told not to (G-Eval is the default)', async () => {
      const j = judge({ logprobs: undefined });
      assert.equal(j.version, `${PROMPT_VERSION}/openai:fake-judge/logprobs`);
      await j.judge(FAITHFUL, 'summarization');
      assert.equal(server.requests[0].body.logprobs, true);
    });

    it('averages n samples, asked for in one request at a sampling temperature', async () => {
      const result = await judge({ samples: 2 }).judge(FAITHFUL, 'summarization');
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0].body.n, 2);
      assert.equal(server.requests[0].body.temperature, 1);
      assert.equal(result.scores.consistency, (4.5 - 1) / 4); // choices scored 5 and 4
    });

    it('makes one request per sample when the server rejects n > 1 (llama.cpp)', async () => {
      await serve({ rejectN: true });
      const j = judge({ samples: 3 });
      const result = await j.judge(FAITHFUL, 'summarization');
      // one rejected n=3 request, then three single-choice requests
      assert.deepEqual(server.requests.map((r) => r.body.n), [3, undefined, undefined, undefined]);
      assert.ok(result.scores.consistency > 0.5 && result.scores.consistency <= 1);
      assert.equal(j.capabilities.multiChoice, false);
    });

    it('asks again for the missing choices when the server ignores n (Ollama)', async () => {
      await serve({ ignoreN: true });
      const result = await judge({ samples: 2 }).judge(FAITHFUL, 'summarization');
      assert.deepEqual(server.requests.map((r) => r.body.n), [2, undefined]);
      assert.equal(result.scores.consistency, 1);
    });

    it('weights scores by logprobs when asked (G-Eval)', async () => {
      const result = await judge({ logprobs: true }).judge(FAITHFUL, 'summarization');
      assert.equal(server.requests[0].body.logprobs, true);
      assert.equal(server.requests[0].body.top_logprobs, 5);
      // the fake gives a sampled 5 60% and 4 30%: expected 4.667; a sampled 4: 3.667
      assert.ok(Math.abs(result.scores.consistency - (4.2 / 0.9 - 1) / 4) < 1e-9, String(result.scores.consistency));
      assert.ok(Math.abs(result.scores.coherence - (3.3 / 0.9 - 1) / 4) < 1e-9, String(result.scores.coherence));
    });

    it('drops logprobs when the server rejects them and keeps the sampled scores', async () => {
      await serve({ rejectLogprobs: true });
      const j = judge({ logprobs: true });
      const result = await j.judge(FAITHFUL, 'summarization');
      assert.equal(result.scores.consistency, 1);
      assert.deepEqual(server.requests.map((r) => r.body.logprobs), [true, undefined]);
      assert.equal(j.capabilities.logprobs, false);
    });
  });

  describe('response_format fallback', () => {
    it('falls back to json_object when json_schema is rejected, and remembers it', async () => {
      await serve({ rejectResponseFormat: 'json_schema' });
      const j = judge();
      const result = await j.judge(FAITHFUL, 'summarization');
      assert.equal(result.scores.consistency, 1);
      assert.deepEqual(server.requests.map((r) => r.status), [400, 200]);
      assert.equal(server.requests[1].body.response_format.type, 'json_object');
      assert.deepEqual(server.requests[1].body.response_format.schema.required, ['coherence', 'consistency', 'fluency', 'relevance'], 'the schema goes beside the type');
      await j.judge(INVENTED, 'summarization');
      assert.equal(server.requests.length, 3, 'the second call goes straight to json_object');
      assert.equal(server.requests[2].body.response_format.type, 'json_object');
      assert.ok(logs.some((l) => /rejected response_format json_schema.*trying response_format json_object/.test(l)), logs.join('\n'));
    });

    it('remembers a refused format even when the next request fails for another reason', async () => {
      await serve({ rejectResponseFormat: 'json_schema' });
      let calls = 0;
      const dropSecond: typeof fetch = (input, init) => (++calls === 2 ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
      const result = await judge({ fetch: dropSecond }).judge(FAITHFUL, 'summarization');
      assert.equal(result.scores.consistency, 1);
      // the retry after the network error did not send json_schema again
      assert.deepEqual(server.requests.map((r) => r.body.response_format.type), ['json_schema', 'json_object']);
      assert.equal(calls, 3);
    });

    it('falls back to plain text and extracts the JSON from the prose', async () => {
      await serve({ rejectResponseFormat: 'any' });
      const j = judge();
      const result = await j.judge(INVENTED, 'summarization');
      assert.equal(result.scores.consistency, 0.25);
      // json_schema, json_object with the schema beside it, plain json_object, then no format
      assert.equal(server.requests.length, 4);
      assert.deepEqual(server.requests[1].body.response_format.schema.required, ['coherence', 'consistency', 'fluency', 'relevance']);
      assert.equal(server.requests[3].body.response_format, undefined);
      assert.equal(j.capabilities.format, 'text');
    });

    it('does not step down for a context-length 400', async () => {
      server.fail(1, { kind: 'status', status: 400, body: { error: { message: "This model's maximum context length is 8192 tokens.", code: 'context_length_exceeded' } } });
      const err = await judgeError(judge().judge(FAITHFUL, 'summarization'));
      assert.equal(server.requests.length, 1);
      assert.match(err.hint, /longer context/);
    });
  });

  describe('retries', () => {
    it('retries 429 and 500, then succeeds', async () => {
      server.fail(1, { kind: 'status', status: 429, retryAfter: '0' }).fail(1, { kind: 'status', status: 500 });
      const result = await judge().judge(FAITHFUL, 'summarization');
      assert.equal(result.scores.consistency, 1);
      assert.deepEqual(server.requests.map((r) => r.status), [429, 500, 200]);
    });

    it('waits what Retry-After asks, capped by maxRetryAfterMs', async () => {
      server.fail(1, { kind: 'status', status: 429, retryAfter: '0.03' }).fail(1, { kind: 'status', status: 503, retryAfter: '3600' });
      const started = Date.now();
      await judge({ maxRetryAfterMs: 40 }).judge(FAITHFUL, 'summarization');
      assert.ok(Date.now() - started >= 60, 'both waits were honoured');
      assert.ok(logs[0].endsWith('retrying in 30 ms'), logs[0]);
      assert.ok(logs[1].endsWith('retrying in 40 ms'), logs[1]);
    });

    it('gives up after maxRetries with a retryable JudgeError', async () => {
      server.fail(10, { kind: 'status', status: 500 });
      const err = await judgeError(judge({ maxRetries: 2 }).judge(FAITHFUL, 'summarization'));
      assert.equal(server.requests.length, 3);
      assert.equal(err.retryable, true);
      assert.match(err.message, /failed \(500, 3 attempts/);
      assert.match(err.hint, /log/);
    });

    it('does not retry a 429 that means the quota is gone', async () => {
      server.fail(5, { kind: 'status', status: 429, body: { error: { message: 'You exceeded your current quota', code: 'insufficient_quota' } } });
      const err = await judgeError(judge().judge(FAITHFUL, 'summarization'));
      assert.equal(server.requests.length, 1);
      assert.match(err.hint, /billing/);
    });

    it('times out a hanging request, retries, and succeeds', async () => {
      server.fail(1, { kind: 'hang' });
      const result = await judge({ timeoutMs: 250 }).judge(FAITHFUL, 'summarization');
      assert.equal(result.scores.consistency, 1);
      assert.equal(server.requests.length, 2);
    });

    it('reports a JudgeError with a hint once every attempt timed out', async () => {
      server.fail(10, { kind: 'hang' });
      const err = await judgeError(judge({ timeoutMs: 50, maxRetries: 1 }).judge(FAITHFUL, 'summarization'));
      assert.equal(server.requests.length, 2);
      assert.match(err.message, /no answer within 50 ms \(2 attempts\)/);
      assert.match(err.hint, /judge\.openai\.timeout_ms/);
      assert.equal(err.retryable, true);
    });

    it('retries a malformed answer, then succeeds', async () => {
      server.fail(1, { kind: 'malformed' });
      const result = await judge().judge(FAITHFUL, 'summarization');
      assert.equal(result.scores.consistency, 1);
      assert.equal(server.requests.length, 2);
    });

    it('retries an answer missing a criterion, then names it', async () => {
      server.fail(10, { kind: 'omit', criterion: 'consistency' });
      const err = await judgeError(judge({ maxRetries: 2 }).judge(FAITHFUL, 'summarization'));
      assert.equal(server.requests.length, 3);
      assert.match(err.message, /criterion "consistency" is missing/);
      assert.match(err.hint, /JSON/);
    });

    it('recovers when only one answer lacked a criterion', async () => {
      server.fail(1, { kind: 'omit', criterion: 'fluency' });
      const result = await judge().judge(FAITHFUL, 'summarization');
      assert.equal(result.scores.fluency, 0.75);
    });

    it('does not retry a refusal', async () => {
      server.fail(5, { kind: 'refuse' });
      const err = await judgeError(judge().judge(FAITHFUL, 'summarization'));
      assert.equal(server.requests.length, 1);
      assert.match(err.message, /refused/);
    });

    it('says the base URL is wrong when the body is a web page', async () => {
      server.fail(5, { kind: 'html' });
      const err = await judgeError(judge({ maxRetries: 1 }).judge(FAITHFUL, 'summarization'));
      assert.match(err.hint, /base_url/);
    });
  });

  describe('configuration errors', () => {
    it('401: no retry, the hint names the key variable, the key never shows', async () => {
      await serve({ apiKey: 'sk-right' });
      const secret = 'sk-wrong-very-secret';
      const err = await judgeError(judge({ apiKey: secret }).judge(FAITHFUL, 'summarization'));
      assert.equal(server.requests.length, 1);
      assert.equal(err.retryable, false);
      assert.match(err.hint, /set OPENAI_API_KEY \(judge\.openai\.api_key_env\)/);
      assert.ok(!`${err.message} ${err.hint} ${err.stack} ${logs.join(' ')}`.includes(secret), err.message);
      assert.match(err.message, /\*\*\*/, 'the echoed key is redacted');
    });

    it('401 names a custom key variable and says when no key was sent', async () => {
      await serve({ apiKey: 'sk-right' });
      const err = await judgeError(judge({ apiKeyEnv: 'MY_JUDGE_KEY' }).judge(FAITHFUL, 'summarization'));
      assert.match(err.hint, /set MY_JUDGE_KEY/);
      assert.match(err.hint, /no key was sent/);
    });

    it('404 for an unknown model points at judge.openai.model', async () => {
      const err = await judgeError(judge({ model: 'gpt-nope' }).judge(FAITHFUL, 'summarization'));
      assert.equal(server.requests.length, 1);
      assert.match(err.message, /no model "gpt-nope"/);
      assert.match(err.hint, /check judge\.openai\.model/);
    });

    it('404 for a wrong path points at judge.openai.base_url', async () => {
      const err = await judgeError(judge({ baseUrl: server.baseUrl.replace(/\/v1$/, '') }).judge(FAITHFUL, 'summarization'));
      assert.match(err.hint, /judge\.openai\.base_url.*\/v1/);
    });

    it('connection refused: retried, then asks whether the server runs', async () => {
      const closed = http.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((r) => closed.close(() => r()));
      const url = `http://127.0.0.1:${port}/v1`;
      const err = await judgeError(judge({ baseUrl: url, maxRetries: 1 }).judge(FAITHFUL, 'summarization'));
      assert.match(err.message, /connection refused \(2 attempts\)/);
      assert.equal(err.hint.startsWith(`is the server at ${url} running?`), true, err.hint);
    });

    it('refuses credentials in the base URL without repeating them', () => {
      assert.throws(
        () => judge({ baseUrl: 'http://user:pw-secret@127.0.0.1:1/v1' }),
        (e: unknown) => e instanceof JudgeError && /credentials/.test(e.message) && !`${e.message} ${e.hint}`.includes('pw-secret'),
      );
    });

    it('rejects invalid options with a hint', () => {
      assert.throws(
        () => judge({ baseUrl: 'localhost:8000' }),
        (e: unknown) => e instanceof JudgeError && /baseUrl/.test(e.message) && /judge\.openai/.test(e.hint),
      );
      assert.throws(() => judge({ concurrency: 0 }), /concurrency/);
    });
  });

  describe('concurrency and cancellation', () => {
    it('never has more requests in flight than the limit', async () => {
      await serve({ delayMs: 20 });
      const j = judge({ concurrency: 2 });
      const samples = Array.from({ length: 8 }, (_, i) => ({ input: `${SOURCE} ${i}`, output: `Summary ${i}.` }));
      await Promise.all(samples.map((s) => j.judge(s, 'summarization')));
      assert.equal(server.requests.length, 8);
      assert.equal(server.maxInFlight, 2);
    });

    it('counts every sample request against the limit', async () => {
      await serve({ delayMs: 10, rejectN: true });
      const j = judge({ concurrency: 3, samples: 4 });
      await Promise.all([j.judge(FAITHFUL, 'summarization'), j.judge(INVENTED, 'summarization')]);
      assert.ok(server.maxInFlight <= 3, String(server.maxInFlight));
    });

    it('an abort stops a request in flight and retries nothing', async () => {
      server.fail(1, { kind: 'hang' });
      const ac = new AbortController();
      const p = judge().judge(FAITHFUL, 'summarization', ac.signal);
      await server.waitForRequests(1);
      ac.abort();
      await assert.rejects(p, { name: 'AbortError' });
      assert.equal(server.requests.length, 1);
    });

    it('an abort takes a call out of the concurrency queue before it sends anything', async () => {
      server.fail(1, { kind: 'hang' });
      const j = judge({ concurrency: 1 });
      const first = new AbortController();
      const blocking = j.judge(FAITHFUL, 'summarization', first.signal);
      await server.waitForRequests(1);
      const second = new AbortController();
      const queued = j.judge(INVENTED, 'summarization', second.signal);
      second.abort();
      await assert.rejects(queued, { name: 'AbortError' });
      first.abort();
      await assert.rejects(blocking, { name: 'AbortError' });
      assert.equal(server.requests.length, 1);
    });

    it('an abort cuts a Retry-After wait short', async () => {
      server.fail(1, { kind: 'status', status: 503, retryAfter: '600' });
      const ac = new AbortController();
      const p = judge().judge(FAITHFUL, 'summarization', ac.signal);
      await server.waitForRequests(1);
      while (logs.length === 0) await new Promise((r) => setImmediate(r));
      ac.abort(new Error('stopped by the user'));
      await assert.rejects(p, /stopped by the user/);
      assert.equal(server.requests.length, 1);
    });

    it('an already aborted signal sends nothing', async () => {
      await assert.rejects(judge().judge(FAITHFUL, 'summarization', AbortSignal.abort()), { name: 'AbortError' });
      assert.equal(server.requests.length, 0);
    });
  });
});
