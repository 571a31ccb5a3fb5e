// Turns transport and output failures into JudgeErrors whose hint says what to do next.
import { JudgeError } from '../types';
import { HttpFailure } from './http';

export interface ErrorContext {
  /** Base URL with credentials stripped (see displayUrl). */
  url: string;
  model: string;
  apiKeyEnv: string;
  apiKeySent: boolean;
  timeoutMs: number;
  attempts: number;
}

/** The model produced something unusable (not JSON, a criterion missing, a refusal, cut off). */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly criterion?: string,
    /** Asking again will not help (e.g. a refusal). */
    readonly final = false,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

export function isQuotaError(f: HttpFailure): boolean {
  return f.status === 429 && /insufficient_quota|quota|billing/i.test(`${f.code ?? ''} ${f.serverMessage ?? ''}`);
}

export function isContextLengthError(f: HttpFailure): boolean {
  return f.status === 400 && /context.length|context_length|maximum context|too many tokens|prompt is too long|exceeds the (model'?s )?context/i.test(`${f.code ?? ''} ${f.serverMessage ?? ''}`);
}

/**
 * The server rejected part of the request's shape (response_format, logprobs, n) rather than failing:
 * a 400 or 422 (FastAPI's validation status), or a 5xx whose message names one of those fields, as
 * the llama-cpp-python server answers an unknown response_format type. Context-length 400s are not.
 */
export function isShapeRejection(f: HttpFailure): boolean {
  if (f.kind !== 'status' || isContextLengthError(f)) return false;
  if (f.status === 400 || f.status === 422) return true;
  return f.status! >= 500 && /response_format|json_schema|logprobs|validation error/i.test(f.serverMessage ?? '');
}

export function isRetryable(e: unknown): boolean {
  if (e instanceof OutputError) return !e.final;
  if (!(e instanceof HttpFailure)) return false;
  if (e.kind !== 'status') return true;
  if (isQuotaError(e)) return false;
  return RETRYABLE_STATUS.has(e.status!) || e.status! >= 500;
}

function tries(ctx: ErrorContext): string {
  return ctx.attempts === 1 ? '1 attempt' : `${ctx.attempts} attempts`;
}

export function toJudgeError(e: unknown, ctx: ErrorContext): JudgeError {
  if (e instanceof JudgeError) return e;
  if (e instanceof OutputError) {
    return new JudgeError(
      `judge ${ctx.model} gave an unusable answer (${tries(ctx)}): ${e.message}`,
      e.hint ?? 'the model does not follow the requested JSON format; use a stronger model, or a server that supports response_format json_schema (OpenAI, vLLM, llama.cpp, Ollama >= 0.5)',
    );
  }
  if (!(e instanceof HttpFailure)) {
    const message = e instanceof Error ? e.message : String(e);
    return new JudgeError(`judge request to ${ctx.url} failed: ${message}`, 'this is unexpected; check the daemon log and report it');
  }
  const where = `${ctx.url}/chat/completions`;
  switch (e.kind) {
    case 'timeout':
      return new JudgeError(
        `judge ${ctx.model} at ${ctx.url} gave no answer within ${ctx.timeoutMs} ms (${tries(ctx)})`,
        'raise judge.openai.timeout_ms, lower judge.openai.concurrency, or check that the server is not overloaded',
        true,
      );
    case 'network':
      if (e.code === 'ECONNREFUSED') {
        return new JudgeError(
          `cannot connect to the judge at ${ctx.url}: connection refused (${tries(ctx)})`,
          `is the server at ${ctx.url} running? Start it, or fix judge.openai.base_url`,
          true,
        );
      }
      if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
        return new JudgeError(`cannot resolve the judge host in ${ctx.url} (${e.code})`, 'check the host name in judge.openai.base_url and the network', true);
      }
      return new JudgeError(
        `network error talking to the judge at ${ctx.url} (${tries(ctx)}): ${e.message}${e.code ? ` [${e.code}]` : ''}`,
        `check the network and that the server at ${ctx.url} is up; judge.openai.base_url may be wrong`,
        true,
      );
    case 'invalid_body':
      return new JudgeError(
        `${where} did not answer with JSON (${tries(ctx)}): ${e.message}`,
        'judge.openai.base_url must point at an OpenAI-compatible API (usually ending in /v1), not a web page or proxy login',
      );
    case 'status':
      break;
  }
  const status = e.status!;
  const server = e.serverMessage ? `: ${e.serverMessage}` : '';
  if (status === 401) {
    return new JudgeError(
      `the judge at ${ctx.url} rejected the API key (401${server})`,
      `set ${ctx.apiKeyEnv} (judge.openai.api_key_env) to a valid key for this server${ctx.apiKeySent ? '' : '; no key was sent because the variable is empty'}`,
    );
  }
  if (status === 403) {
    return new JudgeError(
      `the judge at ${ctx.url} refused access (403${server})`,
      `the key in ${ctx.apiKeyEnv} has no access to model "${ctx.model}"; check its permissions or judge.openai.model`,
    );
  }
  if (status === 404) {
    if (/model/i.test(`${e.code ?? ''} ${e.serverMessage ?? ''}`)) {
      return new JudgeError(
        `the judge server at ${ctx.url} has no model "${ctx.model}" (404${server})`,
        `check judge.openai.model against the server's model list (${ctx.url}/models); Ollama needs \`ollama pull ${ctx.model}\``,
      );
    }
    return new JudgeError(
      `${where} does not exist (404${server})`,
      'check judge.openai.base_url: OpenAI-compatible servers serve the API under /v1 (e.g. http://127.0.0.1:8000/v1)',
    );
  }
  if (isQuotaError(e)) {
    return new JudgeError(`the judge account has no quota left (429${server})`, 'check the billing of the account behind the key, or point judge.openai.base_url at another server');
  }
  if (status === 429) {
    return new JudgeError(
      `the judge at ${ctx.url} kept rate limiting (${tries(ctx)}${server})`,
      'lower judge.openai.concurrency or raise judge.openai.max_retries',
      true,
    );
  }
  if (isContextLengthError(e)) {
    return new JudgeError(
      `the sample does not fit the judge model's context (400${server})`,
      'use a judge model with a longer context window, or shorten the samples',
    );
  }
  if (status >= 500) {
    return new JudgeError(`the judge server at ${ctx.url} failed (${status}, ${tries(ctx)}${server})`, 'check the judge server\'s log; the request will work once it is healthy', true);
  }
  return new JudgeError(
    `the judge server at ${ctx.url} rejected the request (${status}${server})`,
    `check judge.openai.model and judge.openai.base_url; the server may not be OpenAI-compatible`,
  );
}
