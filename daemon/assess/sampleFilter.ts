// The dataset explorer's filters over a file's lines: which lines match (the verdict that counts,
// a person's override) and in which order (a criterion's score). It works on the ids the daemon
// already holds for the file, so a filtered page reads only its own lines from disk.
import type { Annotation, SampleFilter } from '../protocol';
import type { AssessmentBrief } from './AssessmentBriefs';
import { effectiveVerdict } from './effectiveVerdict';

export interface LineId {
  line: number;
  id: string;
}

export interface VerdictSource {
  /** The recorded verdict and scores. */
  brief(id: string): Pick<AssessmentBrief, 'verdict' | 'scores'> | undefined;
  annotation(id: string): Annotation | undefined;
}

export function isFiltered(filter: SampleFilter | undefined): filter is SampleFilter {
  return !!filter && (filter.verdict !== undefined || filter.overridesOnly === true || filter.sortBy !== undefined);
}

/** The lines matching `filter`, in its order (ties and unscored samples keep file order). */
export function selectLines<T extends LineId>(lines: readonly T[], filter: SampleFilter, verdicts: VerdictSource): T[] {
  const matching = lines.filter(({ id }) => {
    const annotation = verdicts.annotation(id);
    if (filter.overridesOnly && (!annotation || annotation.action === 'note')) return false;
    return !filter.verdict || effectiveVerdict({ assessment: verdicts.brief(id), annotation }) === filter.verdict;
  });
  const criterion = filter.sortBy;
  if (!criterion) return matching;
  const score = (id: string) => verdicts.brief(id)?.scores[criterion] ?? -1;
  const keyed = matching.map((l) => ({ l, s: score(l.id) }));
  keyed.sort((a, b) => b.s - a.s || a.l.line - b.l.line);
  return keyed.map((k) => k.l);
}
