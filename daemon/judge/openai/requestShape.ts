// The chat-completions request body, and how to step down when a server rejects part of it.
//
// Servers differ: OpenAI takes response_format json_schema (strict), logprobs and n; vLLM takes all
// three; llama.cpp's llama-server takes json_schema but only n = 1; the llama-cpp-python server
// (`python -m llama_cpp.server`) knows only json_object, with the schema beside the type (it answers
// json_schema with a 500 validation error); older Ollama and many proxies know only json_object or
// nothing. A rejection moves one step down the ladder; the judge keeps the step that worked.
import type { Criterion } from '../types';
import type { ChatMessage } from '../prompts';

/** `json_object_schema` is `{type: "json_object", schema}`, the form llama-cpp-python (and Anyscale, Together) take. */
export type Format = 'json_schema' | 'json_object_schema' | 'json_object' | 'text';
const FORMATS: readonly Format[] = ['json_schema', 'json_object_schema', 'json_object', 'text'];

export interface Capabilities {
  format: Format;
  /** Ask for logprobs + top_logprobs to weight scores (G-Eval). */
  logprobs: boolean;
  /** Ask for several choices in one request (`n`); otherwise one request per sample. */
  multiChoice: boolean;
}

export const TOP_LOGPROBS = 5;

/** Strict JSON schema: an object with every criterion required, each {score: 1..5, reason}. */
export function scoresJsonSchema(criteria: readonly Criterion[]): Record<string, unknown> {
  const entry = {
    type: 'object',
    properties: {
      score: { type: 'integer', enum: [1, 2, 3, 4, 5] },
      reason: { type: 'string' },
    },
    required: ['score', 'reason'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: Object.fromEntries(criteria.map((c) => [c.name, { ...entry, description: c.description }])),
    required: criteria.map((c) => c.name),
    additionalProperties: false,
  };
}

export interface BodyParams {
  model: string;
  messages: ChatMessage[];
  criteria: readonly Criterion[];
  caps: Capabilities;
  /** Choices wanted from this request (sent as `n` only when above 1). */
  n: number;
  temperature: number;
  maxTokens?: number;
}

export function buildBody(p: BodyParams): Record<string, unknown> {
  const body: Record<string, unknown> = { model: p.model, messages: p.messages, temperature: p.temperature };
  if (p.n > 1) body.n = p.n;
  if (p.maxTokens !== undefined) body.max_tokens = p.maxTokens;
  if (p.caps.logprobs) {
    body.logprobs = true;
    body.top_logprobs = TOP_LOGPROBS;
  }
  if (p.caps.format === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: 'judge_scores', strict: true, schema: scoresJsonSchema(p.criteria) },
    };
  } else if (p.caps.format === 'json_object_schema') {
    body.response_format = { type: 'json_object', schema: scoresJsonSchema(p.criteria) };
  } else if (p.caps.format === 'json_object') {
    body.response_format = { type: 'json_object' };
  }
  return body;
}

function lowerFormat(caps: Capabilities): Capabilities | undefined {
  const i = FORMATS.indexOf(caps.format);
  return i < FORMATS.length - 1 ? { ...caps, format: FORMATS[i + 1] } : undefined;
}

/**
 * The next request shape to try after a 400 with `message`, or undefined when nothing is left to
 * drop. The message picks the culprit when it names one; otherwise the format goes first, as the
 * part servers most often reject.
 */
export function downgrade(caps: Capabilities, message: string): Capabilities | undefined {
  const m = message.toLowerCase();
  if (caps.logprobs && /logprob/.test(m)) return { ...caps, logprobs: false };
  if (caps.multiChoice && (/\bn\b|choice/.test(m))) return { ...caps, multiChoice: false };
  if (caps.format !== 'text' && /response_format|json_schema|json_object|schema|grammar|format/.test(m)) return lowerFormat(caps);
  return lowerFormat(caps) ?? (caps.logprobs ? { ...caps, logprobs: false } : caps.multiChoice ? { ...caps, multiChoice: false } : undefined);
}
