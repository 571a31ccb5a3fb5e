// The training loss by step, drawn as SVG. The line scales with the panel; the labels are HTML
// around it so they never stretch.
import { h, setText, svg } from './dom';
import { num } from './format';
import type { ProgressPoint } from './model';

const W = 1000;
const H = 240;
const MAX_DRAWN = 800;

export interface LossChart {
  root: HTMLElement;
  update(runId: string | null, points: readonly ProgressPoint[], totalSteps: number): void;
}

export function createLossChart(): LossChart {
  const line = svg('path', { class: 'loss-line', d: '', fill: 'none', 'vector-effect': 'non-scaling-stroke' });
  const grid = svg('g', { class: 'grid' }, ...[0.25, 0.5, 0.75].map((f) => svg('line', { x1: 0, x2: W, y1: H * f, y2: H * f, 'vector-effect': 'non-scaling-stroke' })));
  const chart = svg('svg', { id: 'loss-chart', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'data-points': 0 }, grid, line);
  const yMax = h('span', { class: 'y-max' });
  const yMin = h('span', { class: 'y-min' });
  const xMax = h('span', { class: 'x-max' });
  const empty = h('p', { class: 'chart-empty muted', text: 'The loss curve appears with the first training step.' });
  const root = h('figure', { class: 'chart' }, h('figcaption', { text: 'Training loss' }), h('div', { class: 'plot' }, chart, yMax, yMin, xMax, empty));
  let drawn = '';

  return {
    root,
    update(runId, points, totalSteps) {
      const withLoss = points.filter((p): p is ProgressPoint & { loss: number } => p.loss !== undefined && Number.isFinite(p.loss));
      const lastPoint = withLoss[withLoss.length - 1];
      const key = `${runId}:${withLoss.length}:${lastPoint?.step}:${lastPoint?.loss}:${totalSteps}`;
      if (key === drawn) return;
      drawn = key;
      chart.setAttribute('data-points', String(withLoss.length));
      empty.hidden = withLoss.length > 0;
      if (!lastPoint) {
        line.setAttribute('d', '');
        for (const l of [yMax, yMin, xMax]) setText(l, '');
        chart.setAttribute('aria-label', 'Training loss: no steps yet');
        return;
      }
      let lo = Infinity;
      let hi = -Infinity;
      for (const p of withLoss) {
        lo = Math.min(lo, p.loss);
        hi = Math.max(hi, p.loss);
      }
      const pad = hi > lo ? (hi - lo) * 0.08 : Math.max(Math.abs(hi) * 0.1, 0.01);
      const top = hi + pad;
      const bottom = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
      const xEnd = Math.max(totalSteps, lastPoint.step, 1);
      const x = (step: number) => (step / xEnd) * W;
      const y = (loss: number) => H - ((loss - bottom) / (top - bottom)) * H;
      const every = Math.ceil(withLoss.length / MAX_DRAWN);
      const parts: string[] = [];
      withLoss.forEach((p, i) => {
        if (i % every === 0 || i === withLoss.length - 1) parts.push(`${parts.length === 0 ? 'M' : 'L'}${x(p.step).toFixed(1)} ${y(p.loss).toFixed(1)}`);
      });
      line.setAttribute('d', parts.join(' '));
      setText(yMax, num(top, 3));
      setText(yMin, num(bottom, 3));
      setText(xMax, `step ${xEnd}`);
      chart.setAttribute('aria-label', `Training loss over ${withLoss.length} steps: first ${num(withLoss[0]!.loss)}, latest ${num(lastPoint.loss)}, lowest ${num(lo)}`);
    },
  };
}
