// The displayed run: status, step / total, epoch, loss, ETA, a percent bar and the loss chart.
// Screen readers hear status changes and every tenth of the way, not every step.
import { h, section, setText } from './dom';
import { dateTime, duration, num, percent } from './format';
import { createLossChart } from './lossChart';
import type { ProgressPoint } from './model';
import type { RenderContext, View } from './context';
import type { RunSummary } from '../daemon/protocol';

const ACTIVE = new Set(['queued', 'running']);

export function createRunView(): View {
  const { root, heading, body } = section('Run', 'current-run');
  const empty = h('p', { class: 'muted', text: 'No run yet. Runs and their progress appear here.' });
  const title = h('p', { id: 'run-title', class: 'run-title' });
  const fill = h('div', { class: 'bar-fill' });
  const bar = h('div', { id: 'run-bar', class: 'bar', attrs: { role: 'progressbar', 'aria-label': 'Training progress', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0' } }, fill);
  const stat = (id: string, label: string) => {
    const dd = h('dd', { id });
    return { dd, el: h('div', { class: 'pair' }, h('dt', { text: label }), dd) };
  };
  const step = stat('run-step', 'Step');
  const pct = stat('run-percent', 'Done');
  const epoch = stat('run-epoch', 'Epoch');
  const loss = stat('run-loss', 'Loss');
  const eta = stat('run-eta', 'ETA');
  const elapsed = stat('run-elapsed', 'Elapsed');
  const stats = h('dl', { class: 'stats' }, step.el, pct.el, epoch.el, loss.el, eta.el, elapsed.el);
  const error = h('p', { id: 'run-error', class: 'error', hidden: true });
  const chart = createLossChart();
  const announcer = h('div', { id: 'announcer', class: 'sr-only', attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });
  const details = h('div', { hidden: true }, title, bar, stats, error, chart.root);
  body.append(empty, details, announcer);
  let announced = '';

  return {
    root,
    update({ model, view, now }: RenderContext) {
      const run = model.displayedRun(view.selectedRunId);
      empty.hidden = run !== null;
      details.hidden = run === null;
      if (!run) return;
      setText(heading, ACTIVE.has(run.status) ? 'Current run' : view.selectedRunId === run.id ? 'Selected run' : 'Last run');
      const points = model.progress.get(run.id) ?? [];
      const latest = points[points.length - 1];
      const p = run.progress ?? (latest ? { step: latest.step, totalSteps: latest.totalSteps, epoch: latest.epoch, loss: latest.loss } : null);
      const total = p?.totalSteps ?? 0;
      const fraction = run.status === 'succeeded' ? 1 : p && total > 0 ? Math.min(1, p.step / total) : 0;

      setText(title, `${run.id} · ${run.status} · ${run.trigger} · ${run.snapshot.count} samples · started ${dateTime(run.startedAt ?? run.createdAt)}`);
      title.className = `run-title status-${run.status}`;
      fill.style.width = `${(fraction * 100).toFixed(1)}%`;
      bar.setAttribute('aria-valuenow', String(Math.floor(fraction * 100)));
      bar.setAttribute('aria-valuetext', p ? `step ${p.step} of ${total}, ${percent(fraction)}` : run.status);
      setText(step.dd, p ? `${p.step} / ${total}` : '—');
      setText(pct.dd, percent(fraction));
      setText(epoch.dd, p?.epoch !== undefined ? num(p.epoch, 3) : '—');
      setText(loss.dd, num(p?.loss));
      setText(eta.dd, ACTIVE.has(run.status) ? etaText(points, run, now) : '—');
      const start = run.startedAt ? Date.parse(run.startedAt) : NaN;
      setText(elapsed.dd, Number.isNaN(start) ? '—' : duration((run.endedAt ? Date.parse(run.endedAt) : now) - start));
      error.hidden = run.error === null;
      if (run.error) setText(error, run.error.hint ? `${run.error.message} — ${run.error.hint}` : run.error.message);
      chart.update(run.id, points, total);

      const said = `${run.id}:${run.status}:${ACTIVE.has(run.status) ? Math.floor(fraction * 10) : ''}`;
      if (said !== announced) {
        announced = said;
        setText(announcer, announcement(run, fraction));
      }
    },
  };
}

function announcement(run: RunSummary, fraction: number): string {
  switch (run.status) {
    case 'running':
      return `Run ${run.id}: ${percent(fraction)} done`;
    case 'succeeded':
      return `Run ${run.id} succeeded${run.version ? `, landed ${run.version}` : ''}`;
    case 'failed':
      return `Run ${run.id} failed: ${run.error?.message ?? 'see the log'}`;
    default:
      return `Run ${run.id} is ${run.status}`;
  }
}

/** From the pace of the last 50 steps (or since the start), the time the rest will take. */
export function etaText(points: readonly ProgressPoint[], run: RunSummary, now: number): string {
  const last = points[points.length - 1];
  if (!last || last.totalSteps <= 0) return run.status === 'queued' ? 'waiting to start' : '—';
  if (last.step >= last.totalSteps) return 'finishing';
  const first = points[Math.max(0, points.length - 50)]!;
  let msPerStep = NaN;
  if (last.step > first.step && last.at > first.at) msPerStep = (last.at - first.at) / (last.step - first.step);
  else if (run.startedAt && last.step > 0) msPerStep = (last.at - Date.parse(run.startedAt)) / last.step;
  if (!Number.isFinite(msPerStep) || msPerStep <= 0) return '—';
  const left = (last.totalSteps - last.step) * msPerStep - Math.max(0, now - last.at);
  return duration(Math.max(0, left));
}
