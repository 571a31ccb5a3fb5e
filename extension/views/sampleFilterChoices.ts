// The Datasets view's filter choices and how a filter is described (no vscode): by the verdict
// that counts, overrides only, sorted by a criterion's score. The daemon does the filtering.
import type { SampleFilter } from '../../daemon/protocol';

export interface FilterChoice {
  label: string;
  description?: string;
  /** The filter once picked; undefined shows every sample in file order. */
  filter: SampleFilter | undefined;
}

const VERDICTS: Record<NonNullable<SampleFilter['verdict']>, string> = {
  accepted: 'high-quality',
  rejected: 'rejected',
  unjudged: 'unjudged',
};

/** "rejected only · by consistency", or undefined for no filter. */
export function describeFilter(filter: SampleFilter | undefined): string | undefined {
  if (!filter) return undefined;
  const parts: string[] = [];
  if (filter.overridesOnly) parts.push(filter.verdict ? `${VERDICTS[filter.verdict]} by you` : 'your overrides only');
  else if (filter.verdict) parts.push(`${VERDICTS[filter.verdict]} only`);
  if (filter.sortBy) parts.push(`by ${filter.sortBy}`);
  return parts.length ? parts.join(' · ') : undefined;
}

/** What can be picked from `current`: a verdict or overrides keep the sort; a sort keeps the filter. */
export function filterChoices(current: SampleFilter | undefined, criteria: readonly string[]): FilterChoice[] {
  const base = { sortBy: current?.sortBy };
  const choices: FilterChoice[] = [
    { label: 'All samples, in file order', filter: undefined },
    { label: 'High-quality only', description: 'the verdict that counts: yours over the judge’s', filter: { ...base, verdict: 'accepted' } },
    { label: 'Rejected only', filter: { ...base, verdict: 'rejected' } },
    { label: 'Unjudged only', filter: { ...base, verdict: 'unjudged' } },
    { label: 'Your overrides only', description: 'samples you accepted, rejected or corrected', filter: { ...base, overridesOnly: true } },
  ];
  const kept = { verdict: current?.verdict, overridesOnly: current?.overridesOnly };
  for (const c of criteria) choices.push({ label: `Sort by ${c}`, description: 'highest score first', filter: { ...kept, sortBy: c } });
  if (current?.sortBy) choices.push({ label: 'Sort by line', filter: tidy({ ...kept }) });
  return choices.map((c) => ({ ...c, filter: tidy(c.filter) }));
}

/** Drops unset fields; no field left means no filter. */
function tidy(filter: SampleFilter | undefined): SampleFilter | undefined {
  if (!filter) return undefined;
  const out: SampleFilter = {};
  if (filter.verdict) out.verdict = filter.verdict;
  if (filter.overridesOnly) out.overridesOnly = true;
  if (filter.sortBy) out.sortBy = filter.sortBy;
  return Object.keys(out).length ? out : undefined;
}
