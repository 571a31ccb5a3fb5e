// The dataset explorer's filters over a file's lines: which lines match (the verdict that counts,
// a person's override) and in which order (a criterion's score). It reads only what the daemon
// already holds about each line, so a filtered page reads only its own lines from disk.
import type { Annotation, SampleFilter, Verdict } from '../protocol';
import { effectiveVerdict } from './effectiveVerdict';

export interface LineId {
  line: number;
  id: string;
}

/** What a filter reads about a line; `K` is however the caller names one (its id, its position). */
export interface FilterSource<K> {
  /** The recorded verdict (undefined: unjudged). */
  verdict(line: K): Verdict | undefined;
  score(line: K, criterion: string): number | undefined;
  annotation(line: K): Annotation | undefined;
}

export function isFiltered(filter: SampleFilter | undefined): filter is SampleFilter {
  return !!filter && (filter.verdict !== undefined || filter.overridesOnly === true || filter.sortBy !== undefined);
}

/** What counts for a line: a person's word over the recorded verdict. */
export function lineVerdict<K>(line: K, source: FilterSource<K>): Verdict | 'unjudged' {
  const verdict = source.verdict(line);
  return effectiveVerdict({ assessment: verdict && { verdict }, annotation: source.annotation(line) });
}

/** The lines (given in file order) matching `filter`, in its order; ties and unscored samples keep file order. */
export function selectLines<K>(lines: Iterable<K>, filter: SampleFilter, source: FilterSource<K>): K[] {
  const matching: K[] = [];
  for (const line of lines) {
    const annotation = source.annotation(line);
    if (filter.overridesOnly && (!annotation || annotation.action === 'note')) continue;
    if (filter.verdict && lineVerdict(line, source) !== filter.verdict) continue;
    matching.push(line);
  }
  const criterion = filter.sortBy;
  if (!criterion) return matching;
  const keyed = matching.map((line, order) => ({ line, order, score: source.score(line, criterion) ?? -1 }));
  keyed.sort((a, b) => b.score - a.score || a.order - b.order);
  return keyed.map((k) => k.line);
}
