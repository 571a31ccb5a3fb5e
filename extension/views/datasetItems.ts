// Labels, tooltips and icons for the Datasets view: dataset files and their samples (no vscode).
import type { Assessment, DatasetInfo, SampleRow } from '../../daemon/protocol';
import { escapeMarkdown, excerpt, metric, plural, shortTime } from '../format';
import type { ItemView } from './itemView';

export function datasetItem(d: DatasetInfo): ItemView {
  const name = d.path.split('/').pop() || d.path;
  const lines = [
    `**${escapeMarkdown(d.path)}**${d.training ? ' (training dataset)' : ''}`,
    '',
    `- ${plural(d.accepted, 'high-quality sample')}`,
    `- ${plural(d.rejected, 'rejected sample')}`,
    `- ${plural(d.unjudged, 'unjudged sample')}`,
  ];
  if (d.invalid) lines.push(`- ${plural(d.invalid, 'invalid line')}`);
  lines.push(`- ${plural(d.lines, 'line')} in all`);
  return {
    label: name,
    description: `${d.accepted} high-quality · ${d.rejected} rejected · ${d.unjudged} unjudged`,
    tooltip: lines.join('\n'),
    icon: d.training ? { id: 'database' } : { id: 'file' },
    contextValue: d.training ? 'finetune.dataset.training' : 'finetune.dataset',
  };
}

export type SampleVerdict = 'accepted' | 'rejected' | 'corrected' | 'unjudged';

/** The verdict that counts: a person's accept/reject/correct wins over the judge's. */
export function effectiveVerdict(s: Pick<SampleRow, 'assessment' | 'annotation'>): SampleVerdict {
  switch (s.annotation?.action) {
    case 'accept':
      return 'accepted';
    case 'reject':
      return 'rejected';
    case 'correct':
      return 'corrected';
  }
  return s.assessment ? s.assessment.verdict : 'unjudged';
}

const verdictIcons: Record<SampleVerdict, ItemView['icon']> = {
  accepted: { id: 'pass', color: 'testing.iconPassed' },
  rejected: { id: 'error', color: 'testing.iconFailed' },
  corrected: { id: 'edit', color: 'testing.iconPassed' },
  unjudged: { id: 'circle-outline' },
};

export function sampleItem(s: SampleRow): ItemView {
  const verdict = effectiveVerdict(s);
  const byPerson = s.annotation && s.annotation.action !== 'note';
  const score = s.assessment ? metric(s.assessment.average) : undefined;
  const description = [`line ${s.line}`, score, byPerson ? `${verdict} by you` : s.assessment ? verdict : 'unjudged'].filter(Boolean).join(' · ');
  return {
    label: excerpt(s.input, 60) || `(line ${s.line})`,
    description,
    tooltip: sampleTooltip(s, verdict),
    icon: verdictIcons[verdict],
    contextValue: `finetune.sample.${verdict}`,
  };
}

function sampleTooltip(s: SampleRow, verdict: SampleVerdict): string {
  const out = [`**Line ${s.line}** · ${verdict}`, '', `**Input:** ${escapeMarkdown(excerpt(s.input, 300))}`, '', `**Output:** ${escapeMarkdown(excerpt(s.output, 300))}`];
  if (s.assessment) out.push('', ...scoreLines(s.assessment));
  else out.push('', '_Not judged yet._');
  if (s.annotation) {
    const a = s.annotation;
    out.push('', `**Your ${a.action}** (${shortTime(a.at)})${a.note ? `: ${escapeMarkdown(excerpt(a.note, 200))}` : ''}`);
    if (a.action === 'correct' && a.output) out.push('', `**Corrected output:** ${escapeMarkdown(excerpt(a.output, 300))}`);
  }
  out.push('', `id \`${s.id.slice(0, 16)}\``);
  return out.join('\n');
}

/** A small table of criterion scores with the judge's rationale. */
export function scoreLines(a: Assessment): string[] {
  const rows = Object.entries(a.scores).map(([name, v]) => {
    const why = a.rationale[name] ? escapeMarkdown(excerpt(a.rationale[name], 120)) : '';
    return `| ${escapeMarkdown(name)} | ${metric(v)} | ${why} |`;
  });
  return [
    `**Judge:** ${escapeMarkdown(a.judge)} ${escapeMarkdown(a.judgeVersion)} · average **${metric(a.average)}** · ${a.verdict}`,
    '',
    '| criterion | score | why |',
    '|---|---|---|',
    ...rows,
  ];
}

export const LOAD_MORE: ItemView = {
  label: 'Load more…',
  tooltip: 'Load the next page of samples',
  icon: { id: 'ellipsis' },
  contextValue: 'finetune.loadMore',
};

/** `filtered`: total counts the matching samples, not lines. */
export function loadMoreItem(loaded: number, total: number, filtered = false): ItemView {
  const of = `${loaded.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
  return { ...LOAD_MORE, description: filtered ? `${of} matching samples shown` : `lines 1–${of} shown` };
}
