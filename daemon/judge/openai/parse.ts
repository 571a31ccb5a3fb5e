// Reading a judge's answer: find the JSON object, validate each criterion, normalize scores.
import { z } from 'zod';
import type { Criterion, JudgeResult } from '../types';
import { OutputError } from './errors';

/** One choice's scores on the model's 1..5 scale (may be fractional after logprob weighting). */
export interface ChoiceScores {
  scores: Record<string, number>;
  reasons: Record<string, string>;
}

/** The chat-completions response fields the judge reads; everything else is ignored. */
const tokenLogprob = z.object({
  token: z.string(),
  logprob: z.number(),
  bytes: z.array(z.number()).nullish(),
  top_logprobs: z.array(z.object({ token: z.string(), logprob: z.number(), bytes: z.array(z.number()).nullish() })).nullish(),
});
export type TokenLogprob = z.infer<typeof tokenLogprob>;

export const completionSchema = z.object({
  choices: z.array(
    z.object({
      message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
      finish_reason: z.string().nullish(),
      logprobs: z.object({ content: z.array(tokenLogprob).nullish() }).nullish(),
    }),
  ),
});
export type Completion = z.infer<typeof completionSchema>;
export type CompletionChoice = Completion['choices'][number];

const numeric = z.union([z.number(), z.string().trim().regex(/^[+-]?\d+(\.\d+)?$/).transform(Number)]).pipe(z.number());

/** A criterion entry: {"score": 4, "reason": "..."}; a bare number or a numeric string is accepted too. */
const entrySchema = z.union([
  z.object({ score: numeric, reason: z.string().optional() }),
  numeric.transform((score) => ({ score, reason: undefined })),
]);

/** Removes reasoning models' <think>…</think> preambles, which may contain braces. */
function stripThinking(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/gi, '');
}

/** End index (exclusive) of the balanced {...} starting at `start`, respecting JSON strings; -1 if none. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** The whole text as a JSON object, else the first balanced {...} in it that parses as one. */
export function extractJsonObject(text: string): Record<string, unknown> | undefined {
  const cleaned = stripThinking(text).trim();
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  try {
    const whole: unknown = JSON.parse(cleaned);
    if (isObject(whole)) return whole;
  } catch {
    // fall through to scanning
  }
  for (let start = cleaned.indexOf('{'); start >= 0; start = cleaned.indexOf('{', start + 1)) {
    const end = objectEnd(cleaned, start);
    if (end < 0) break;
    try {
      const value: unknown = JSON.parse(cleaned.slice(start, end));
      if (isObject(value)) return value;
    } catch {
      // try the next opening brace
    }
  }
  return undefined;
}

function findKey(obj: Record<string, unknown>, name: string): unknown {
  if (name in obj) return obj[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.trim().toLowerCase() === wanted);
  return key === undefined ? undefined : obj[key];
}

/** Scores (clamped to 1..5) and reasons for every criterion, or an OutputError naming what is wrong. */
export function parseChoiceContent(content: string, criteria: readonly Criterion[]): ChoiceScores {
  const obj = extractJsonObject(content);
  if (!obj) throw new OutputError(`no JSON object in the answer: ${JSON.stringify(content.slice(0, 80))}`);
  const scores: Record<string, number> = {};
  const reasons: Record<string, string> = {};
  for (const c of criteria) {
    const raw = findKey(obj, c.name);
    if (raw === undefined) throw new OutputError(`criterion "${c.name}" is missing from the answer`, c.name);
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) throw new OutputError(`criterion "${c.name}" has no numeric score: ${JSON.stringify(raw).slice(0, 80)}`, c.name);
    scores[c.name] = Math.min(5, Math.max(1, parsed.data.score));
    reasons[c.name] = (parsed.data.reason ?? '').trim();
  }
  return { scores, reasons };
}

/** Maps a 1..5 score to 0..1, clamped. */
export function normalizeScore(score: number): number {
  return Math.min(1, Math.max(0, (score - 1) / 4));
}

/**
 * Averages the choices' 1..5 scores per criterion and normalizes to 0..1. The reason shown is the
 * one from the choice whose score is closest to the average.
 */
export function aggregate(choices: readonly ChoiceScores[], criteria: readonly Criterion[]): JudgeResult {
  if (choices.length === 0) throw new OutputError('no usable choice in the answer');
  const result: JudgeResult = { scores: {}, rationale: {} };
  for (const c of criteria) {
    const mean = choices.reduce((sum, ch) => sum + ch.scores[c.name], 0) / choices.length;
    let best = choices[0];
    for (const ch of choices) {
      if (Math.abs(ch.scores[c.name] - mean) < Math.abs(best.scores[c.name] - mean)) best = ch;
    }
    result.scores[c.name] = normalizeScore(mean);
    result.rationale[c.name] = best.reasons[c.name];
  }
  return result;
}
