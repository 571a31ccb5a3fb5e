// Consistency: is every fact in the summary backed by the source? Without a model we look at it
// from four lexical angles and one factual one:
//   - surface trigrams found verbatim in the source (the classic extractive-overlap signal);
//   - content-word links: adjacent content words of a summary sentence that are adjacent in a
//     source sentence too ("council approve library"): who-did-what as the source states it;
//   - content-word co-occurrence: nearby content words of a summary sentence that share at least
//     one source sentence; this tolerates rewording, but catches facts glued together from
//     unrelated parts of the source (the typical error of fusing summarisers);
//   - content words found anywhere in the source (paraphrase-tolerant, needed for abstractive text);
//   - alignment: how much of each summary sentence one source sentence supports;
//   - names and numbers absent from the source (the clearest sign of an invented fact), and
//     words in neither the source nor everyday English (names, even when lower-cased).
import { bestSentence } from '../align';
import { unsupportedFacts, describeFacts, type UnsupportedFact } from '../facts';
import { overlap, ratio, sumOverlaps, type Overlap } from '../ngrams';
import type { Profile, SourceIndex } from '../profile';
import { heuristic, pct, type Scored } from '../score';
import { consistencyScore } from './consistencyModel';

export interface ConsistencySignals {
  trigramPrecision: number;
  linkPrecision: number;
  cooccurrence: number;
  contentPrecision: number;
  alignment: number;
  unsupported: UnsupportedFact[];
}

// Content words this far apart in a summary sentence are expected to come from one source sentence.
const COOCCURRENCE_SPAN = 2;
// A word in more source sentences than this co-occurs with almost anything; skipping it keeps the
// check linear on long sources.
const MAX_POSTINGS = 200;

function cooccurrence(summary: Profile, src: SourceIndex): Overlap {
  const index = src.postings;
  let found = 0;
  let total = 0;
  for (const words of summary.content) {
    for (let i = 0; i < words.length; i++) {
      for (let g = 1; g <= COOCCURRENCE_SPAN && i + g < words.length; g++) {
        total++;
        const a = index.get(words[i]);
        const b = index.get(words[i + g]);
        if (!a || !b) continue;
        if (a.length > MAX_POSTINGS || b.length > MAX_POSTINGS) found++;
        else if (sharesSentence(a, b)) found++;
      }
    }
  }
  return { found, total };
}

/** Both posting lists are sorted ascending, so a merge walk finds a common sentence in O(a+b). */
function sharesSentence(a: readonly number[], b: readonly number[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) return true;
    if (a[i] < b[j]) i++;
    else j++;
  }
  return false;
}

/**
 * Mean over summary sentences of the share of their content words found in the single source
 * sentence that supports them best: a sentence that retells one source sentence scores 1, one
 * fused from words scattered over the article (the typical invented relation) scores low.
 */
function alignment(summary: Profile, src: SourceIndex): number {
  const shares: number[] = [];
  for (const c of summary.content) {
    const best = bestSentence(c, src);
    if (best.considered > 0) shares.push(best.shared / best.considered);
  }
  return shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : 1;
}

export function consistencySignals(summary: Profile, src: SourceIndex): ConsistencySignals {
  const content = ratio(sumOverlaps(summary.content.map((c) => overlap(c, src.stems, 1))), 1);
  const links = sumOverlaps([
    ...summary.content.map((c) => overlap(c, src.contentBigrams, 2)),
    ...summary.content.map((c) => overlap(c, src.contentTrigrams, 3)),
  ]);
  return {
    // Outputs shorter than a trigram fall back to word support.
    trigramPrecision: summary.words.length >= 3 ? ratio(overlap(summary.words, src.trigrams, 3), 1) : content,
    // A summary of one-content-word sentences has no links; fall back to word support.
    linkPrecision: ratio(links, content),
    cooccurrence: ratio(cooccurrence(summary, src), content),
    contentPrecision: content,
    alignment: alignment(summary, src),
    unsupported: unsupportedFacts(summary, src),
  };
}

export function scoreConsistency(summary: Profile, src: SourceIndex): Scored {
  if (summary.words.length === 0) return { score: 0, rationale: heuristic('the summary is empty, so nothing in it can be checked') };
  if (src.profile.words.length === 0) return { score: 0, rationale: heuristic('the source is empty, so no fact in the summary is supported') };
  const s = consistencySignals(summary, src);
  // Combined by a model fitted on human labels (consistencyModel.ts): on FRANK and QAGS each
  // signal alone ranks worse than the combination, and one invented fact weighs more than any
  // amount of overlap.
  const score = consistencyScore(s);
  const k = s.unsupported.length;
  const facts = k === 0 ? 'no unsupported names or numbers' : `not in the source: ${describeFacts(s.unsupported)} (likely invented)`;
  return {
    score,
    rationale: heuristic(
      `${pct(s.trigramPrecision)} of summary trigrams and ${pct(s.contentPrecision)} of its content words appear in the source`,
      facts,
    ),
  };
}
