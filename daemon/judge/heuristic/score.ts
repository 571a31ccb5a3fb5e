// The small value type every heuristic scorer returns, and helpers for honest rationales.
import type { JudgeResult } from '../types';

export interface Scored {
  score: number;
  rationale: string;
}

/**
 * The most a surface check can vouch for. Finding no truncation, repetition or off-topic content
 * is evidence of fluency, coherence and relevance, not proof, so a clean result scores this
 * rather than 1. It also gives the default gate (average > 0.8) its meaning: with the surface
 * criteria clean, a summary still needs consistency above about 0.35 to be kept.
 */
export const SURFACE_CEILING = 0.95;

export function clamp01(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Math.min(1, Math.max(0, x));
}

/** 0.923 -> "92%". */
export function pct(x: number): string {
  return `${Math.round(clamp01(x) * 100)}%`;
}

/** Every rationale says it is a heuristic, so nobody mistakes it for a model's judgement. */
export function heuristic(...clauses: string[]): string {
  const body = clauses.filter(Boolean).join('; ');
  return `Heuristic: ${body}.`;
}

/** Quotes output text inside a rationale: one line, and short enough to keep it one sentence. */
export function quote(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `"${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat}"`;
}

/** Criterion name -> scored, in the order given, as the judge contract wants it. */
export function toResult(results: Record<string, Scored>): JudgeResult {
  const scores: Record<string, number> = {};
  const rationale: Record<string, string> = {};
  for (const [name, r] of Object.entries(results)) {
    scores[name] = clamp01(r.score);
    rationale[name] = r.rationale;
  }
  return { scores, rationale };
}
