// Many samples judged at once against the real server: bounded by `concurrency`, and each sample
// gets its own answer (the server answers one request at a time and queues the rest).
import { strict as assert } from 'node:assert';
import { OpenAIJudge } from '../../daemon/judge/openai/OpenAIJudge';
import type { JudgeResult } from '../../daemon/judge/types';
import { samplesOf } from '../helpers/samples';
import { LlamaServer, MODEL_ALIAS } from './LlamaServer';
import { requireLlmEnv } from './llmEnv';
import { recordingFetch } from './recordingFetch';

describe('openai judge against a real llama.cpp server: concurrency', function () {
  let server: LlamaServer;

  before(async function () {
    const env = await requireLlmEnv(this);
    server = await LlamaServer.start(env);
  });
  after(() => server?.stop());

  const judge = (concurrency: number, fetchImpl: typeof fetch) =>
    new OpenAIJudge({ baseUrl: server.baseUrl, model: MODEL_ALIAS, timeoutMs: 60_000, maxRetries: 2, concurrency, samples: 1, fetch: fetchImpl });

  it('judges samples in parallel, never more requests in flight than judge.openai.concurrency, each with its own scores', async () => {
    const samples = [...samplesOf('good', 3, 21), ...samplesOf('flawed', 3, 21)];
    // One at a time first: the reference scores (greedy decoding is deterministic).
    const one = recordingFetch();
    const sequential = judge(1, one.fetch);
    const reference: JudgeResult[] = [];
    for (const s of samples) reference.push(await sequential.judge(s, 'summarization'));
    assert.equal(one.maxInFlight(), 1);

    const many = recordingFetch();
    const parallel = judge(3, many.fetch);
    const results = await Promise.all(samples.map((s) => parallel.judge(s, 'summarization')));
    assert.equal(many.maxInFlight(), 3, 'three requests were in flight at once, and never more');
    results.forEach((r, i) => {
      for (const [name, score] of Object.entries(reference[i].scores)) {
        assert.ok(Math.abs(r.scores[name] - score) < 1e-4, `sample ${i} ${name}: ${r.scores[name]} in parallel, ${score} alone`);
      }
    });
  });
});
