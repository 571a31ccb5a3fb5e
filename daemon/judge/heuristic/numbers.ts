// Numbers are the easiest invented fact to catch without a model: a figure in the output that
// the source never states. Digits and number words are normalised to one form so "six" matches
// "6" and "5,000" matches "5000".
import { NUMBER_WORDS } from './lexicon';

// A digit run with optional thousands separators or a decimal part: 5,000  2.5  1969.
const NUMBER = /\d+(?:[.,]\d+)*/gu;
// Sources that were word-tokenised write "5, 000" and "1. 3"; on the source side a space after
// the separator is allowed too. Extra keys on the source side only make matching more lenient.
const LOOSE_NUMBER = /\d+(?:[.,] ?\d+)*/gu;
const WORDISH = /[\p{L}]+/gu;

function normalizeDigits(raw: string): string[] {
  const noCommas = raw.replace(/[, ]/g, '');
  // Also keep each comma/dot-separated group, because tokenised sources write "5, 000" or "2 . 5".
  const parts = raw.split(/[., ]/).filter(Boolean);
  const out = [noCommas.replace(/\.0+$/, '')];
  if (parts.length > 1) out.push(...parts);
  return out;
}

/** Every normalised number a text states, as digits (for the source side of the comparison). */
export function extractNumbers(text: string): string[] {
  const out: string[] = [];
  const t = text.normalize('NFKC');
  for (const m of t.matchAll(LOOSE_NUMBER)) out.push(...normalizeDigits(m[0]));
  for (const m of t.matchAll(WORDISH)) {
    const d = NUMBER_WORDS.get(m[0].toLowerCase());
    if (d) out.push(d);
  }
  return out;
}

// "12 million": the digits carry the claim and are checked; the scale word alone is no fact.
const SCALES = new Set(['hundred', 'thousand', 'million', 'billion']);
const ENDS_WITH_DIGIT = /\d[\d.,]*\s*$/u;

/** The numbers an output states, each as written and in its normalised form. */
export function numberMentions(text: string): { raw: string; norm: string }[] {
  const out: { raw: string; norm: string }[] = [];
  const t = text.normalize('NFKC');
  for (const m of t.matchAll(NUMBER)) out.push({ raw: m[0], norm: normalizeDigits(m[0])[0] });
  for (const m of t.matchAll(WORDISH)) {
    const word = m[0].toLowerCase();
    const d = NUMBER_WORDS.get(word);
    if (!d) continue;
    const at = m.index ?? 0;
    if (SCALES.has(word) && ENDS_WITH_DIGIT.test(t.slice(Math.max(0, at - 20), at))) continue;
    out.push({ raw: m[0], norm: d });
  }
  return out;
}
