// Surface-form checks shared by fluency and coherence (and QA answers): is the text cut off,
// does it repeat itself, are its sentences plausible sentences, is it garbled.
import { DANGLING_END } from './lexicon';
import { repeatedNgrams, ratio } from './ngrams';
import type { Profile } from './profile';

export interface FormSignals {
  /**
   * The text stops mid-sentence: it lacks closing punctuation and either ends on a word like
   * "the"/"and"/"to" or follows earlier sentences that did close. (With a closing period, a final
   * "in" or "for" is just English: "the town she grew up in.")
   */
  truncated: boolean;
  /** One sentence without closing punctuation (a headline or a terse answer; not necessarily cut). */
  unpunctuated: boolean;
  /** Share of word trigrams that repeat an earlier trigram of the same text. */
  repeatedTrigrams: number;
  /** Words immediately repeated ("the the", "debate debate"). */
  stutters: number;
  /** Sentences under 3 words or over 60 words. */
  badLengthSentences: number;
  /** Pairs of sentences saying nearly the same thing (content overlap >= 80%). */
  redundantSentences: number;
  /** Share of non-space characters that are broken: replacement marks, control codes, mojibake. */
  garbledChars: number;
}

const TERMINAL = /[.!?…。！？]["'’”」』)\]]*$/u;
// What broken text looks like: U+FFFD from a failed decode, control or private-use codes, lone
// surrogates, and UTF-8 read as Latin-1 ("Ã©", "â€™"). Emoji and other symbols are fine.
const BROKEN = /\uFFFD|[\p{Cc}\p{Co}\p{Cs}]|Ã[\u0080-\u00BF]|â€/gu;

export function formSignals(text: string, p: Profile): FormSignals {
  const trimmed = text.trim();
  const last = p.words[p.words.length - 1] ?? '';
  const closed = TERMINAL.test(trimmed);
  const truncated = trimmed.length > 0 && !closed && (DANGLING_END.has(last) || p.tokens.length > 1);
  let stutters = 0;
  for (let i = 1; i < p.words.length; i++) if (p.words[i] === p.words[i - 1] && /\p{L}/u.test(p.words[i])) stutters++;
  const badLengthSentences = p.tokens.filter((t) => t.length < 3 || t.length > 60).length;
  return {
    truncated,
    unpunctuated: trimmed.length > 0 && !closed && !truncated,
    repeatedTrigrams: ratio(repeatedNgrams(p.words, 3), 0),
    stutters,
    badLengthSentences,
    redundantSentences: countRedundant(p.content),
    garbledChars: garbledShare(trimmed),
  };
}

function garbledShare(text: string): number {
  // Capped so a megabyte of text stays cheap; a sample of the start is representative enough.
  const sample = (text.length > 20000 ? text.slice(0, 20000) : text).replace(/[\s]+/gu, '');
  if (sample.length === 0) return 0;
  let broken = 0;
  for (const m of sample.matchAll(BROKEN)) broken += m[0].length;
  return broken / sample.length;
}

// Compares each sentence with the previous few only, so long texts stay linear.
const REDUNDANCY_WINDOW = 5;

function countRedundant(content: string[][]): number {
  const sets = content.map((c) => new Set(c));
  let redundant = 0;
  for (let i = 1; i < sets.length; i++) {
    for (let j = Math.max(0, i - REDUNDANCY_WINDOW); j < i; j++) {
      const a = sets[i];
      const b = sets[j];
      if (a.size < 3 || b.size < 3) continue;
      let shared = 0;
      for (const w of a) if (b.has(w)) shared++;
      if (shared / Math.min(a.size, b.size) >= 0.8) {
        redundant++;
        break;
      }
    }
  }
  return redundant;
}
