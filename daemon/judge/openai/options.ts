// Options of the openai judge, validated with zod so a bad config gives a JudgeError with a hint.
import { z } from 'zod';
import { JudgeError } from '../types';

export interface OpenAIJudgeOptions {
  /** OpenAI-compatible API root, e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer`; omit for local servers that need none. Never logged. */
  apiKey?: string;
  /** The variable the key came from, named in hints (default OPENAI_API_KEY). */
  apiKeyEnv?: string;
  /** Per HTTP request, from sending to the end of the body. */
  timeoutMs: number;
  /** Retries after the first attempt (429, 5xx, network errors, timeouts, unusable answers). */
  maxRetries: number;
  /** Requests in flight at once across all concurrent judge() calls of this instance. */
  concurrency: number;
  /** Choices averaged per sample; above 1 they are sampled at `sampleTemperature`, else temperature 0. */
  samples: number;
  /**
   * Weight each score by the model's probabilities over 1..5 (G-Eval). Default true: a server that
   * rejects logprobs is asked again without them, and one that ignores them gives the sampled score.
   */
  logprobs?: boolean;
  /** Temperature when samples > 1 (default 1, as in G-Eval). */
  sampleTemperature?: number;
  /** Sent as max_tokens when set. */
  maxTokens?: number;
  /** First retry delay before jitter (default 500 ms); doubles per retry up to backoffMaxMs (default 20 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest Retry-After honoured (default 60 s); longer asks are cut to this. */
  maxRetryAfterMs?: number;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Jitter source in [0, 1); defaults to Math.random. */
  random?: () => number;
  /** Receives one line per retry or fallback. Lines never contain the API key. */
  log?: (line: string) => void;
}

const URL_EXAMPLE = 'must be an http(s) URL such as https://api.openai.com/v1';

const schema = z.object({
  baseUrl: z
    .string()
    .trim()
    .superRefine((s, ctx) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: URL_EXAMPLE });
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: URL_EXAMPLE });
      if (url.username || url.password) {
        ctx.addIssue({ code: 'custom', message: 'must not carry credentials; put the key in the variable named by judge.openai.api_key_env' });
      }
    })
    .transform((s) => s.replace(/\/+$/, '')),
  model: z.string().trim().min(1),
  apiKey: z.string().optional(),
  apiKeyEnv: z.string().min(1).default('OPENAI_API_KEY'),
  timeoutMs: z.number().int().positive(),
  maxRetries: z.number().int().min(0).max(20),
  concurrency: z.number().int().min(1).max(256),
  samples: z.number().int().min(1).max(20),
  logprobs: z.boolean().default(true),
  sampleTemperature: z.number().min(0).max(2).default(1),
  maxTokens: z.number().int().positive().optional(),
  backoffBaseMs: z.number().min(0).default(500),
  backoffMaxMs: z.number().min(0).default(20_000),
  maxRetryAfterMs: z.number().min(0).default(60_000),
});

export type Settings = z.output<typeof schema>;

export function parseOptions(options: OpenAIJudgeOptions): Settings {
  const parsed = schema.safeParse(options);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new JudgeError(`invalid openai judge option ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'check the judge.openai section of config/models.yml');
}
