// One HTTP POST with a per-request timeout, classified failures, and the caller's abort honoured.
import { abortReason, parseRetryAfter } from './backoff';

export type FailureKind = 'status' | 'network' | 'timeout' | 'invalid_body';

/** A request that did not produce a usable 2xx JSON body. Never carries request headers. */
export class HttpFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
    /** Server error code (e.g. "insufficient_quota") or network code (e.g. "ECONNREFUSED"). */
    readonly code?: string,
    /** The server's own error message, redacted and shortened. */
    readonly serverMessage?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'HttpFailure';
  }
}

export interface PostOptions {
  apiKey?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  fetch: typeof fetch;
}

const MAX_MESSAGE = 300;

/** Strips credentials and query from a URL before it appears in a message. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`.replace(/\/$/, '');
  } catch {
    return '<invalid url>';
  }
}

function redact(text: string, apiKey?: string): string {
  let out = text.replace(/\s+/g, ' ').trim().replace(/(\w+:\/\/)[^/\s@]*@/g, '$1***@');
  if (apiKey) out = out.split(apiKey).join('***');
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE)}…` : out;
}

/** FastAPI/pydantic 422 bodies: `detail: [{loc: ["body", "response_format", "type"], msg}]` → "body.response_format.type: msg". */
function validationDetail(detail: unknown): string | undefined {
  if (!Array.isArray(detail)) return undefined;
  const parts = detail
    .filter((d): d is { loc?: unknown; msg?: unknown } => !!d && typeof d === 'object')
    .map((d) => `${Array.isArray(d.loc) ? `${d.loc.join('.')}: ` : ''}${typeof d.msg === 'string' ? d.msg : 'invalid'}`);
  return parts.length ? parts.join('; ') : undefined;
}

/** Pulls `message` and `code` out of the error bodies OpenAI, vLLM, llama.cpp, Ollama and FastAPI send. */
export function serverError(text: string): { message?: string; code?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim() ? { message: text } : {};
  }
  const pick = (o: unknown): { message?: string; code?: string } => {
    if (typeof o === 'string') return { message: o };
    if (!o || typeof o !== 'object') return {};
    const r = o as Record<string, unknown>;
    const message = typeof r.message === 'string' ? r.message : typeof r.detail === 'string' ? r.detail : validationDetail(r.detail);
    const code = typeof r.code === 'string' ? r.code : typeof r.type === 'string' ? r.type : undefined;
    return { message, code };
  };
  const r = body as Record<string, unknown> | null;
  return r && typeof r === 'object' && 'error' in r ? pick(r.error) : pick(body);
}

function networkCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth++) {
    const o = cur as { code?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof o.code === 'string') return o.code;
    if (Array.isArray(o.errors) && o.errors.length > 0) cur = o.errors[0];
    else cur = o.cause;
  }
  return undefined;
}

export async function postJson(url: string, body: unknown, o: PostOptions): Promise<unknown> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout.signal]) : timeout.signal;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
  try {
    const res = await o.fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
    const text = await res.text();
    if (!res.ok) {
      const err = serverError(text);
      const message = err.message ? redact(err.message, o.apiKey) : undefined;
      throw new HttpFailure('status', `HTTP ${res.status}${message ? `: ${message}` : ''}`, res.status, err.code, message, parseRetryAfter(res.headers));
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpFailure('invalid_body', `HTTP ${res.status} but the body is not JSON: ${redact(text.slice(0, 120), o.apiKey)}`);
    }
  } catch (e) {
    if (e instanceof HttpFailure) throw e;
    if (o.signal?.aborted) throw abortReason(o.signal);
    if (timeout.signal.aborted) throw new HttpFailure('timeout', `no answer within ${o.timeoutMs} ms`);
    const code = networkCode(e);
    const detail = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    throw new HttpFailure('network', redact(detail || 'network error', o.apiKey), undefined, code);
  } finally {
    clearTimeout(timer);
  }
}
