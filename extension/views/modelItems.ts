// Labels, tooltips and icons for the Model versions view (no vscode).
import type { ModelVersion } from '../../daemon/protocol';
import { escapeMarkdown, shortTime } from '../format';
import type { ItemView } from './itemView';
import { describeComparison, headlineMetric, metricRows } from './metrics';

export type VersionStatus = 'current' | 'candidate' | 'previous';

export function versionStatus(v: ModelVersion): VersionStatus {
  return v.current ? 'current' : (v.status ?? 'previous');
}

const icons: Record<VersionStatus, ItemView['icon']> = {
  current: { id: 'star-full', color: 'charts.yellow' },
  candidate: { id: 'beaker' },
  previous: { id: 'history' },
};

export function modelItem(v: ModelVersion): ItemView {
  const status = versionStatus(v);
  const head = headlineMetric(v.metrics);
  const description = [status, head ? describeComparison(head).replace(/ \(was .*\)$/, '') : undefined, shortTime(v.createdAt)].filter(Boolean).join(' · ');
  const tooltip = [
    `**${escapeMarkdown(v.modelName ?? 'model')} ${v.version}** · ${status}${status === 'candidate' ? ' (landed, not promoted by the gate)' : ''}`,
    '',
    v.runId ? `Run \`${v.runId}\`` : '',
    v.createdAt ? `Landed ${shortTime(v.createdAt)} UTC` : '',
    head ? `Headline: ${escapeMarkdown(describeComparison(head))}` : '',
    '',
    ...metricRows(v.metrics),
    '',
    `\`${v.path}\``,
  ].reduce<string[]>((out, l) => (l === '' && (out.length === 0 || out[out.length - 1] === '') ? out : [...out, l]), []);
  return {
    label: v.version,
    description,
    tooltip: tooltip.join('\n'),
    icon: icons[status],
    contextValue: `finetune.model.${status}`,
  };
}
