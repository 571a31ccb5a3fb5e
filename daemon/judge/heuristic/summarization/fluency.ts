// Fluency without a language model: the failures that are visible on the surface are a text cut
// off mid-sentence, looping repetition, doubled words, fragments or run-ons, and garbled
// characters. Subtle grammar errors are invisible here, and the rationale does not pretend.
import { formSignals, type FormSignals } from '../form';
import type { Profile } from '../profile';
import { clamp01, heuristic, SURFACE_CEILING, pct, type Scored } from '../score';

// Penalty sizes: a truncated or looping text should fall below the 0.8 gate on its own when the
// other criteria agree, so these are large; cosmetic issues cost little.
const TRUNCATION = 0.5;
const UNPUNCTUATED = 0.1;
const REPETITION_SLOPE = 1.5; // 20% repeated trigrams -> -0.3
const REPETITION_CAP = 0.6;
const STUTTER = 0.1;
const BAD_SENTENCE = 0.15; // scaled by the share of sentences that are fragments or run-ons
const GARBLED_SLOPE = 3;

export interface FluencyOptions {
  /** Summaries are prose and should close their sentences; short answers and labels need not. */
  expectPunctuation: boolean;
  /** "330 metres." is a fine answer but a poor summary sentence. */
  allowFragments?: boolean;
}

function fluencyPenalties(f: FormSignals, sentences: number, options: FluencyOptions): { penalty: number; issues: string[] } {
  const issues: string[] = [];
  let penalty = 0;
  if (f.truncated) {
    penalty += TRUNCATION;
    issues.push('it ends mid-sentence (truncated)');
  } else if (f.unpunctuated && options.expectPunctuation) {
    penalty += UNPUNCTUATED;
    issues.push('it has no closing punctuation');
  }
  if (f.repeatedTrigrams > 0) {
    penalty += Math.min(REPETITION_CAP, REPETITION_SLOPE * f.repeatedTrigrams);
    if (f.repeatedTrigrams >= 0.05) issues.push(`${pct(f.repeatedTrigrams)} of its word trigrams are repeats`);
  }
  if (f.stutters > 0) {
    penalty += Math.min(0.3, STUTTER * f.stutters);
    issues.push(`${f.stutters} doubled word${f.stutters > 1 ? 's' : ''}`);
  }
  if (f.badLengthSentences > 0 && sentences > 0 && !options.allowFragments) {
    penalty += (BAD_SENTENCE * f.badLengthSentences) / sentences;
    issues.push(`${f.badLengthSentences} sentence${f.badLengthSentences > 1 ? 's are fragments or run-ons' : ' is a fragment or run-on'}`);
  }
  if (f.garbledChars > 0.02) {
    penalty += Math.min(0.6, GARBLED_SLOPE * f.garbledChars);
    issues.push(`${pct(f.garbledChars)} of its characters look garbled`);
  }
  return { penalty, issues };
}

export function scoreFluency(text: string, p: Profile, options: FluencyOptions = { expectPunctuation: true }): Scored {
  if (p.words.length === 0) return { score: 0, rationale: heuristic('the text is empty') };
  const f = formSignals(text, p);
  const { penalty, issues } = fluencyPenalties(f, p.tokens.length, options);
  const ok = 'sentences are complete, with no repeated phrases, doubled words or fragments (grammar itself is not checked)';
  return { score: SURFACE_CEILING * clamp01(1 - penalty), rationale: heuristic(issues.length ? issues.join('; ') : ok) };
}
