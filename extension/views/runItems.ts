// Labels, tooltips and icons for the Runs view (no vscode).
import type { RunStatus, RunSummary } from '../../daemon/protocol';
import { duration, elapsed, escapeMarkdown, percent, plural, shortTime } from '../format';
import type { ItemView } from './itemView';

const icons: Record<RunStatus, ItemView['icon']> = {
  queued: { id: 'clock' },
  running: { id: 'sync~spin' },
  succeeded: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  cancelled: { id: 'circle-slash' },
};

export function isActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

export function runItem(r: RunSummary, now = Date.now()): ItemView {
  const ms = elapsed(r.startedAt, r.endedAt, now);
  const pct = r.status === 'running' && r.progress ? percent(r.progress.step, r.progress.totalSteps) : undefined;
  const description = [
    r.status,
    pct !== undefined ? `${pct}%` : undefined,
    ms !== undefined ? duration(ms) : undefined,
    r.version ? `→ ${r.version}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const lines = [
    `**Run ${escapeMarkdown(r.id)}** · ${r.status}`,
    '',
    `- trigger: ${r.trigger}`,
    `- base model: ${escapeMarkdown(r.baseModel)} (${escapeMarkdown(r.task)})`,
    `- data: ${plural(r.snapshot.count, 'sample')}, snapshot \`${r.snapshot.hash.slice(0, 12)}\``,
    `- queued: ${shortTime(r.createdAt)} UTC`,
  ];
  if (r.startedAt) lines.push(`- started: ${shortTime(r.startedAt)} UTC`);
  if (r.endedAt) lines.push(`- ended: ${shortTime(r.endedAt)} UTC`);
  if (ms !== undefined) lines.push(`- duration: ${duration(ms)}`);
  if (r.progress) {
    const p = r.progress;
    lines.push(`- step ${p.step} of ${p.totalSteps}${p.epoch !== undefined ? `, epoch ${p.epoch.toFixed(2)}` : ''}${p.loss !== undefined ? `, loss ${p.loss.toFixed(4)}` : ''}`);
  }
  if (r.version) lines.push(`- landed as **${r.version}**`);
  if (r.error) lines.push('', `**Error:** ${escapeMarkdown(r.error.message)}`, ...(r.error.hint ? ['', `_${escapeMarkdown(r.error.hint)}_`] : []));
  return {
    label: r.id,
    description,
    tooltip: lines.join('\n'),
    icon: icons[r.status],
    contextValue: `finetune.run.${isActive(r.status) ? 'active' : r.status}`,
  };
}
