// When the real server is slow, killed mid-request, restarted, or gone: what the judge does and says.
import { strict as assert } from 'node:assert';
import type { OpenAIJudgeOptions } from '../../daemon/judge/openai/OpenAIJudge';
import { judgeError } from '../helpers/judgeError';
import { samplesOf } from '../helpers/samples';
import { MODEL_ALIAS } from './LlamaServer';
import { recordingFetch } from './recordingFetch';
import { useLlamaServer } from './serverFixture';

const [SAMPLE] = samplesOf('good', 1, 11);

describe('openai judge against a real llama.cpp server: timeouts, crashes, restarts', function () {
  const fx = useLlamaServer();
  const judge = (o: Partial<OpenAIJudgeOptions> = {}) => fx.judge(o);

  it('a judge request slower than timeout_ms fails with the limit and what to change, after its retries', async () => {
    const rec = recordingFetch();
    // Reading a ~600-token prompt and writing ~80 tokens takes this server well over 20 ms.
    const err = await judgeError(judge({ timeoutMs: 20, maxRetries: 1, backoffBaseMs: 1, fetch: rec.fetch }).judge(SAMPLE, 'summarization'));
    // Two attempts; each gave up on a request that had no answer after 20 ms.
    const timedOut = rec.sent.filter((r) => typeof r.outcome === 'string');
    assert.equal(timedOut.length, 2, JSON.stringify(rec.sent.map((r) => r.outcome)));
    assert.match(err.message, new RegExp(`judge ${MODEL_ALIAS} at ${fx.server.baseUrl} gave no answer within 20 ms \\(2 attempts\\)`));
    assert.match(err.hint, /raise judge\.openai\.timeout_ms/);
    assert.equal(err.retryable, true);
    // The server is still there for a judge with a sensible limit.
    const ok = await judge().judge(SAMPLE, 'summarization');
    assert.equal(Object.keys(ok.scores).length, 4);
  });

  it('a server killed mid-request and brought back: the judge retries until it answers', async () => {
    const rec = recordingFetch();
    let failedOnce!: () => void;
    const firstFailure = new Promise<void>((resolve) => (failedOnce = resolve));
    const log = (l: string) => {
      fx.logs.push(l);
      if (/attempt \d+ failed/.test(l)) failedOnce();
    };
    const j = judge({ maxRetries: 12, backoffBaseMs: 100, backoffMaxMs: 1000, fetch: rec.fetch, log });
    const pending = j.judge(samplesOf('flawed', 1, 12)[0], 'summarization');
    await rec.waitForSent(2); // json_schema refused, then the real request, in flight
    await fx.server.kill();
    await firstFailure;
    await fx.server.restart();
    const result = await pending;
    assert.equal(Object.keys(result.scores).length, 4);
    for (const s of Object.values(result.scores)) assert.ok(s >= 0 && s <= 1);
    assert.ok(rec.sent.some((r) => typeof r.outcome === 'string'), `a request died with the server: ${JSON.stringify(rec.sent.map((r) => r.outcome))}`);
    assert.equal(rec.sent.at(-1)!.outcome, 200);
  });

  it('a server gone for good: a clear error naming the URL and what to do', async () => {
    await fx.server.kill();
    const err = await judgeError(judge({ maxRetries: 2, backoffBaseMs: 10 }).judge(SAMPLE, 'summarization'));
    assert.equal(err.message, `cannot connect to the judge at ${fx.server.baseUrl}: connection refused (3 attempts)`);
    assert.equal(err.hint, `is the server at ${fx.server.baseUrl} running? Start it, or fix judge.openai.base_url`);
    assert.equal(err.retryable, true);
  });
});
