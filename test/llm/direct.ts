// Talking to the server directly, without the judge: the same prompt the judge sends, and a reading
// of the answer's logprobs done here, so the tests can check the judge's numbers against the server's.
import { criteriaFor } from '../../daemon/judge/criteria';
import { scoresJsonSchema } from '../../daemon/judge/openai/requestShape';
import { buildJudgeMessages } from '../../daemon/judge/prompts';
import type { Sample, TaskType } from '../../daemon/judge/types';
import { MODEL_ALIAS } from './LlamaServer';

export interface TopLogprob {
  token: string;
  logprob: number;
}
export interface ChatChoice {
  message: { content: string | null };
  finish_reason: string;
  logprobs?: { content: Array<{ token: string; logprob: number; top_logprobs: TopLogprob[] }> } | null;
}

/** The judge's prompt, with the server's JSON grammar built from the judge's schema (llama-cpp-python's form). */
export function judgeBody(sample: Sample, task: TaskType, o: { logprobs: boolean; schema?: boolean }): Record<string, unknown> {
  const criteria = criteriaFor(task);
  const body: Record<string, unknown> = { model: MODEL_ALIAS, messages: buildJudgeMessages(sample, task, criteria), temperature: 0 };
  if (o.schema !== false) body.response_format = { type: 'json_object', schema: scoresJsonSchema(criteria) };
  if (o.logprobs) Object.assign(body, { logprobs: true, top_logprobs: 5 });
  return body;
}

export async function chat(baseUrl: string, body: Record<string, unknown>): Promise<ChatChoice> {
  const res = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { choices: ChatChoice[] }).choices[0];
}

export interface ScoreToken {
  /** The digit the server sampled. */
  sampled: number;
  /** Sum of p(d)·d over the digits 1..5 among that token's top_logprobs, divided by their total p. */
  expected: number;
  /** The top_logprobs as the server returned them. */
  top: TopLogprob[];
}

/** Each criterion's score token in the answer's token stream, read independently of the judge's code. */
export function scoreTokens(choice: ChatChoice): Record<string, ScoreToken> {
  const out: Record<string, ScoreToken> = {};
  let text = '';
  for (const t of choice.logprobs?.content ?? []) {
    const owner = /"([a-z]+)"\s*:\s*\{\s*"score"\s*:\s*$/.exec(text);
    if (owner && /^[1-5]$/.test(t.token)) {
      const digits = t.top_logprobs.filter((a) => /^[1-5]$/.test(a.token.trim()));
      const mass = digits.reduce((s, a) => s + Math.exp(a.logprob), 0);
      const expected = digits.reduce((s, a) => s + Math.exp(a.logprob) * Number(a.token.trim()), 0) / mass;
      out[owner[1]] = { sampled: Number(t.token), expected, top: t.top_logprobs };
    }
    text += t.token;
  }
  return out;
}
