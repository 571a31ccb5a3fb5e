// Coherence without a model: a summary reads as one structured whole when it does not restate
// itself or loop, finishes its last sentence, and does not open with a pronoun whose referent it
// never introduced. (Following the source's order was tried as a signal and dropped: on human
// labels it added noise rather than information.)
import { formSignals } from '../form';
import { OPENING_PRONOUNS } from '../lexicon';
import type { Profile } from '../profile';
import { clamp01, heuristic, SURFACE_CEILING, type Scored } from '../score';

const REDUNDANT = 0.6; // scaled by the share of sentences that restate an earlier one
const REPETITION_SLOPE = 1; // repeated trigrams also break the flow, less than they hurt fluency
const REPETITION_CAP = 0.4;
const TRUNCATED = 0.4;
const OPENING_PRONOUN = 0.1;

export function scoreCoherence(text: string, summary: Profile): Scored {
  if (summary.words.length === 0) return { score: 0, rationale: heuristic('the summary is empty') };
  const f = formSignals(text, summary);
  const n = summary.tokens.length;
  const issues: string[] = [];
  let penalty = 0;
  if (f.redundantSentences > 0) {
    penalty += (REDUNDANT * f.redundantSentences) / Math.max(1, n - 1);
    issues.push(`${f.redundantSentences} sentence${f.redundantSentences > 1 ? 's restate' : ' restates'} an earlier one`);
  }
  if (f.repeatedTrigrams >= 0.05) {
    penalty += Math.min(REPETITION_CAP, REPETITION_SLOPE * f.repeatedTrigrams);
    issues.push('phrases repeat');
  }
  if (f.truncated) {
    penalty += TRUNCATED;
    issues.push('the last sentence is unfinished');
  }
  if (OPENING_PRONOUNS.has(summary.words[0])) {
    penalty += OPENING_PRONOUN;
    issues.push(`it opens with "${summary.tokens[0][0].raw}" before saying who that is`);
  }
  const ok = 'no restated sentences or repeated phrases, and it ends cleanly (argument structure itself is not checked)';
  return { score: SURFACE_CEILING * clamp01(1 - penalty), rationale: heuristic(issues.length ? issues.join('; ') : ok) };
}
