// The openai judge against a real llama.cpp server (llama-cpp-python) serving a tiny random model:
// the words mean nothing, but the server's JSON grammar, its logprobs and its refusals are real.
import { strict as assert } from 'node:assert';
import { criteriaFor } from '../../daemon/judge/criteria';
import type { OpenAIJudgeOptions } from '../../daemon/judge/openai/OpenAIJudge';
import { TASK_TYPES, type Sample, type TaskType } from '../../daemon/judge/types';
import { samplesOf } from '../helpers/samples';
import { chat, judgeBody, scoreTokens } from './direct';
import { recordingFetch } from './recordingFetch';
import { useLlamaServer } from './serverFixture';

const [GOOD] = samplesOf('good', 1);
const [FLAWED] = samplesOf('flawed', 1);
const SAMPLES: Record<TaskType, Sample> = {
  summarization: GOOD,
  classification: { input: 'I loved this film, the acting was superb.', output: 'positive' },
  qa: { input: 'Context: Paris is the capital of France.\nQuestion: What is the capital of France?', output: 'Paris.' },
};

describe('openai judge against a real llama.cpp server: scores', function () {
  const fx = useLlamaServer();
  const judge = (o: Partial<OpenAIJudgeOptions> = {}) => fx.judge(o);

  it('the server constrains the answer to the judge schema; the model alone writes no such JSON', async () => {
    const criteria = criteriaFor('summarization').map((c) => c.name);
    const constrained = await chat(fx.server.baseUrl, judgeBody(GOOD, 'summarization', { logprobs: false }));
    const answer = JSON.parse(constrained.message.content!);
    assert.deepEqual(Object.keys(answer), criteria);
    for (const name of criteria) {
      assert.ok([1, 2, 3, 4, 5].includes(answer[name].score), `${name}: ${JSON.stringify(answer[name])}`);
      assert.equal(typeof answer[name].reason, 'string');
    }
    const free = await chat(fx.server.baseUrl, judgeBody(GOOD, 'summarization', { logprobs: false, schema: false }));
    assert.throws(() => JSON.parse(free.message.content ?? ''), `without a grammar the tiny model answered ${JSON.stringify(free.message.content)}`);
  });

  for (const task of TASK_TYPES) {
    it(`scores every ${task} criterion 0..1 from the server's JSON`, async () => {
      const result = await judge().judge(SAMPLES[task], task);
      const names = criteriaFor(task).map((c) => c.name);
      assert.deepEqual(Object.keys(result.scores).sort(), [...names].sort());
      assert.deepEqual(Object.keys(result.rationale).sort(), [...names].sort());
      for (const name of names) assert.ok(result.scores[name] >= 0 && result.scores[name] <= 1, `${name} = ${result.scores[name]}`);
    });
  }

  it('steps down from json_schema, which this server rejects, to json_object with the schema, and keeps that', async () => {
    const rec = recordingFetch();
    const j = judge({ fetch: rec.fetch });
    await j.judge(GOOD, 'summarization');
    await j.judge(FLAWED, 'summarization');
    // llama-cpp-python answers the OpenAI json_schema form with a 500 validation error naming response_format
    assert.deepEqual(rec.sent.map((r) => [r.body.response_format.type, r.outcome]), [['json_schema', 500], ['json_object', 200], ['json_object', 200]]);
    assert.ok(rec.sent[1].body.response_format.schema, 'the schema travels beside the type');
    assert.equal(j.capabilities.format, 'json_object_schema');
    assert.match(fx.logs.join('\n'), /rejected response_format json_schema.*HTTP 500.*response_format.*trying response_format json_object \+ schema/);
  });

  it('weights each score by the probabilities of 1..5 in the top_logprobs the server returned (G-Eval)', async () => {
    const direct = scoreTokens(await chat(fx.server.baseUrl, judgeBody(FLAWED, 'summarization', { logprobs: true })));
    const result = await judge().judge(FLAWED, 'summarization');
    const names = criteriaFor('summarization').map((c) => c.name);
    assert.deepEqual(Object.keys(direct).sort(), [...names].sort(), 'every criterion has a score token with top_logprobs');
    for (const name of names) {
      const want = (direct[name].expected - 1) / 4;
      assert.ok(Math.abs(result.scores[name] - want) < 1e-4, `${name}: judge ${result.scores[name]}, expectation over ${JSON.stringify(direct[name].top)} = ${want}`);
    }
    // Not a coincidence of certain answers: at least one score moved off its sampled digit.
    assert.ok(
      names.some((n) => Math.abs(direct[n].expected - direct[n].sampled) > 1e-3),
      `every digit was certain: ${JSON.stringify(direct)}`,
    );
  });

  it('falls back to the sampled score when logprobs are off', async () => {
    const direct = JSON.parse((await chat(fx.server.baseUrl, judgeBody(FLAWED, 'summarization', { logprobs: false }))).message.content!);
    const result = await judge({ logprobs: false }).judge(FLAWED, 'summarization');
    for (const name of criteriaFor('summarization').map((c) => c.name)) {
      assert.equal(result.scores[name], (direct[name].score - 1) / 4, name);
    }
  });

  it('averages several answers when samples > 1; the server ignores n, so the judge asks once per answer', async () => {
    const rec = recordingFetch();
    const result = await judge({ samples: 3, fetch: rec.fetch }).judge(GOOD, 'summarization');
    // json_schema refused, one answer to n = 3, then the two missing ones one by one, sampled at temperature 1
    assert.deepEqual(rec.sent.map((r) => r.body.n), [3, 3, undefined, undefined]);
    assert.ok(rec.sent.every((r) => r.body.temperature === 1));
    for (const score of Object.values(result.scores)) assert.ok(score >= 0 && score <= 1, String(score));
  });
});
