// Finds the source sentence that shares the most content words with a piece of output: where an
// answer's evidence lives (QA), or which part of the story a sentence retells.
import type { SourceIndex } from './profile';

// Words found in very many source sentences say nothing about where a sentence came from, and
// skipping them keeps alignment linear on long inputs.
const MAX_POSTINGS = 200;

/**
 * Best-matching source sentence for a bag of stems, or at -1; ties go to the earliest sentence.
 * `considered` counts the distinct stems that took part: words too common to place are left out
 * of it as well as of `shared`.
 */
export function bestSentence(stems: readonly string[], src: SourceIndex): { at: number; shared: number; considered: number } {
  const counts = new Map<number, number>();
  let considered = 0;
  for (const w of new Set(stems)) {
    const postings = src.postings.get(w);
    if (postings && postings.length > MAX_POSTINGS) continue;
    considered++;
    if (!postings) continue;
    for (const i of postings) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  let at = -1;
  let shared = 0;
  for (const [i, c] of counts) if (c > shared || (c === shared && i < at)) [at, shared] = [i, c];
  return { at, shared, considered };
}
