// Classification: the output should be one clean label. Without a model we can check its form,
// whether it is one of the labels the input offers, and for sentiment labels whether the input's
// wording points the same way. Correctness beyond that is not checkable, and the rationale says so.
import type { JudgeResult } from '../types';
import { stem } from './stem';
import { clamp01, heuristic, quote, toResult, type Scored } from './score';
import { labelPolarity, polarity } from './sentiment';
import { words } from './tokenize';

/** The label with wrapping a reader would forgive stripped: quotes, brackets, a final period, "Label:". */
export function cleanLabel(output: string): string {
  return output
    .trim()
    .replace(/^(label|class|category|answer|sentiment)\s*[:=-]\s*/i, '')
    .replace(/^["'`“‘([{]+|["'`”’)\]}.!]+$/gu, '')
    .trim();
}

// Labels longer than this are free text: there is no label whose evidence could be weighed.
const MAX_LABEL_WORDS = 3;

// "Options: a, b or c", "Labels: a / b", "one of [a|b|c]", "(positive/negative/neutral)". The
// colon or bracket is required, so prose like "one of the best phones" is not read as a list.
const OPTION_LINE = /\b(?:options|labels|categories|classes|choices|choose from|one of)\s*(?:[:=]\s*\[?|\[)([^\n\]]+)/i;
const SLASH_LIST = /\(([^()\n]+(?:\/|\|)[^()\n]+)\)/;

/** The labels the input explicitly allows, lower-cased; empty when it lists none. */
export function offeredLabels(input: string): string[] {
  const m = OPTION_LINE.exec(input) ?? SLASH_LIST.exec(input);
  if (!m) return [];
  return m[1]
    .split(/,|\/|\||;|\bor\b/i)
    .map((s) => s.trim().replace(/^["'`]+|["'`.?]+$/g, '').toLowerCase())
    .filter((s) => s.length > 0 && s.length <= 40);
}

function scoreFormat(raw: string, label: string): Scored {
  const trimmed = raw.trim();
  if (label === '') return { score: 0, rationale: heuristic('the output is empty: no label') };
  const wordCount = words(label).length;
  if (/\n/.test(trimmed) || /[.!?]\s+\S/.test(trimmed) || wordCount > 5) {
    return { score: 0.15, rationale: heuristic(`the output is free text (${wordCount} words) rather than a label`) };
  }
  if (wordCount > MAX_LABEL_WORDS || label.length > 40) return { score: 0.5, rationale: heuristic(`a ${wordCount}-word phrase rather than a short label`) };
  if (label !== trimmed) return { score: 0.85, rationale: heuristic(`a short label, wrapped in extra characters (${quote(trimmed)})`) };
  return { score: 1, rationale: heuristic(`a single short label (${quote(label)})`) };
}

function scoreCorrectness(input: string, label: string, options: string[]): Scored {
  if (label === '') return { score: 0, rationale: heuristic('no label to check') };
  const lower = label.toLowerCase();
  if (options.length > 0 && !options.includes(lower)) {
    return { score: 0.1, rationale: heuristic(`${quote(label)} is not one of the labels the input allows (${options.slice(0, 5).join(', ')})`) };
  }
  const sentiment = sentimentCheck(input, lower);
  if (sentiment) {
    return sentiment.agrees
      ? { score: 0.9, rationale: heuristic(`${sentiment.evidence} agrees with ${quote(label)}`) }
      : { score: 0.3, rationale: heuristic(`${sentiment.evidence} contradicts ${quote(label)}`) };
  }
  const listed = options.length > 0 ? 'it is one of the allowed labels, but ' : '';
  return { score: 0.8, rationale: heuristic(`${listed}whether it is the right class cannot be checked without a model`) };
}

function sentimentCheck(input: string, label: string): { agrees: boolean; evidence: string } | undefined {
  const want = labelPolarity(label);
  if (!want) return undefined;
  const p = polarity(stripOptions(input));
  if (p.positive + p.negative === 0) return undefined;
  const lean = p.positive > p.negative ? 'positive' : p.negative > p.positive ? 'negative' : 'neutral';
  const evidence = `the input has ${p.positive} positive and ${p.negative} negative sentiment words, which`;
  const agrees = want === lean || (want === 'neutral' && Math.abs(p.positive - p.negative) <= 1);
  return { agrees, evidence };
}

function stripOptions(input: string): string {
  return input.replace(OPTION_LINE, ' ').replace(SLASH_LIST, ' ');
}

function scoreConfidence(input: string, label: string): Scored {
  if (label === '') return { score: 0, rationale: heuristic('no label') };
  if (words(label).length > MAX_LABEL_WORDS) return { score: 0.3, rationale: heuristic('the output is not a single label, so no evidence for it can be weighed') };
  const text = stripOptions(input);
  const n = words(text).length;
  if (n < 3) return { score: 0.3, rationale: heuristic(`the input has only ${n} word${n === 1 ? '' : 's'}, too little evidence for any label`) };
  const want = labelPolarity(label);
  if (want) {
    const p = polarity(text);
    const total = p.positive + p.negative;
    if (total === 0) return { score: 0.6, rationale: heuristic('no sentiment words in the input, so the evidence for the label is unclear') };
    const margin = Math.abs(p.positive - p.negative) / total;
    // One sentiment word is thin evidence; three or more pointing one way are clear.
    const amount = Math.min(1, total / 3);
    const counts = `${p.positive} positive vs ${p.negative} negative sentiment words`;
    // For "neutral", one-sided wording is evidence against the label, balanced wording for it.
    if (want === 'neutral') return { score: clamp01(0.85 - 0.35 * margin * amount), rationale: heuristic(counts) };
    if (margin < 0.34) return { score: 0.5, rationale: heuristic(`mixed evidence: ${counts}`) };
    return { score: clamp01(0.6 + 0.35 * margin * amount), rationale: heuristic(counts) };
  }
  const labelStems = words(label).map(stem);
  const inputStems = new Set(words(text).map(stem));
  if (labelStems.length > 0 && labelStems.some((w) => inputStems.has(w))) {
    return { score: 0.9, rationale: heuristic(`the input mentions ${quote(label)} itself`) };
  }
  return { score: 0.75, rationale: heuristic('no direct lexical evidence for the label in the input (not checkable without a model)') };
}

export function judgeClassification(input: string, output: string): JudgeResult {
  const label = cleanLabel(output);
  const options = offeredLabels(input);
  return toResult({
    correctness: scoreCorrectness(input, label, options),
    format: scoreFormat(output, label),
    confidence: scoreConfidence(input, label),
  });
}
