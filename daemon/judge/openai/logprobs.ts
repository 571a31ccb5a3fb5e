// G-Eval's probability-weighted score: rather than the digit the model happened to emit, take the
// expected score under its distribution over "1".."5" at that token (from top_logprobs).
import type { Criterion } from '../types';
import type { ChoiceScores, TokenLogprob } from './parse';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Character index of the score digit for `name` in the raw answer, or -1. */
export function scoreDigitIndex(content: string, name: string): number {
  const key = `"${escapeRegExp(name)}"\\s*:\\s*`;
  const patterns = [
    new RegExp(`${key}\\{[^{}]*?"score"\\s*:\\s*"?([1-5])(?![0-9.])`, 'i'),
    new RegExp(`${key}"?([1-5])(?![0-9.])`, 'i'),
  ];
  for (const re of patterns) {
    const m = re.exec(content);
    if (m) return m.index + m[0].length - 1;
  }
  return -1;
}

function tokenBytes(t: { token: string; bytes?: number[] | null }): number {
  return t.bytes ? t.bytes.length : Buffer.byteLength(t.token, 'utf8');
}

/** Expected digit under the top_logprobs at a token, or undefined when it offers no digit 1..5. */
export function expectedDigit(t: TokenLogprob): number | undefined {
  let mass = 0;
  let sum = 0;
  for (const alt of t.top_logprobs ?? []) {
    const d = alt.token.trim();
    if (!/^[1-5]$/.test(d) || !Number.isFinite(alt.logprob)) continue;
    const p = Math.exp(alt.logprob);
    mass += p;
    sum += p * Number(d);
  }
  return mass > 0 ? sum / mass : undefined;
}

/**
 * Replaces each sampled score with its probability-weighted value where the token stream lines up
 * with the answer and the score is a single-digit token; leaves the sampled score elsewhere.
 */
export function weightScores(content: string, tokens: readonly TokenLogprob[], parsed: ChoiceScores, criteria: readonly Criterion[]): ChoiceScores {
  const starts: number[] = [];
  let offset = 0;
  for (const t of tokens) {
    starts.push(offset);
    offset += tokenBytes(t);
  }
  // Tokens that do not add up to the answer cannot be aligned with it; trust the sampled scores.
  if (offset !== Buffer.byteLength(content, 'utf8')) return parsed;
  const scores = { ...parsed.scores };
  for (const c of criteria) {
    const idx = scoreDigitIndex(content, c.name);
    if (idx < 0 || Number(content[idx]) !== parsed.scores[c.name]) continue;
    const at = Buffer.byteLength(content.slice(0, idx), 'utf8');
    const i = starts.findIndex((s, k) => s <= at && at < s + tokenBytes(tokens[k]));
    if (i < 0 || tokens[i].token.trim() !== content[idx]) continue;
    const expected = expectedDigit(tokens[i]);
    if (expected !== undefined) scores[c.name] = expected;
  }
  return { scores, reasons: parsed.reasons };
}
