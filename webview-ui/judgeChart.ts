// The judge's calibration chart, as SVG: bars are the share of labelled samples people accepted
// in each tenth of the judge's score (a reliability diagram: on the dashed diagonal the score
// reads as a probability), lines are the calibration curves, raw score → calibrated score, one
// per criterion (dashed: a calibration being previewed).
import { h, svg } from './dom';
import type { Agreement } from '../daemon/protocol';

const W = 400;
const H = 240;

type Curves = Readonly<Record<string, { x: number[]; y: number[] }>>;

export interface JudgeChart {
  root: HTMLElement;
  /** `criteria`: every criterion the judge scores, so each keeps its colour whatever is drawn. */
  update(buckets: Agreement['buckets'] | null, curves: Curves, preview: Curves | null, criteria?: readonly string[]): void;
}

export function createJudgeChart(): JudgeChart {
  const bars = svg('g', { class: 'judge-bars' });
  const lines = svg('g', { class: 'judge-curves' });
  const grid = svg('g', { class: 'grid' }, ...[0.25, 0.5, 0.75].flatMap((f) => [svg('line', { x1: 0, x2: W, y1: H * f, y2: H * f, 'vector-effect': 'non-scaling-stroke' }), svg('line', { y1: 0, y2: H, x1: W * f, x2: W * f, 'vector-effect': 'non-scaling-stroke' })]));
  const diagonal = svg('line', { class: 'judge-diagonal', x1: 0, y1: H, x2: W, y2: 0, 'vector-effect': 'non-scaling-stroke' });
  const chart = svg('svg', { id: 'judge-chart', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img' }, grid, diagonal, bars, lines);
  const legend = h('ul', { id: 'judge-legend', class: 'legend' });
  const empty = h('p', { class: 'chart-empty muted', text: 'Measure the judge to see how its scores match people.' });
  const root = h(
    'figure',
    { class: 'chart judge' },
    h('figcaption', { text: 'Share accepted by people, by judge score; calibration curves per criterion' }),
    h('div', { class: 'plot' }, chart, h('span', { class: 'y-max', text: '1' }), h('span', { class: 'y-min', text: '0' }), h('span', { class: 'x-max', text: 'score 1' }), empty),
    legend,
  );
  let drawn = '';

  return {
    root,
    update(buckets, curves, preview, criteria = []) {
      const key = JSON.stringify([buckets, curves, preview, criteria]);
      if (key === drawn) return;
      drawn = key;
      const most = Math.max(1, ...(buckets ?? []).map((b) => b.n));
      bars.replaceChildren(
        ...(buckets ?? [])
          .filter((b) => b.n > 0 && b.accepted !== null)
          .flatMap((b) => {
            const height = H * b.accepted!;
            const x = b.from * W + 2;
            const width = (b.to - b.from) * W - 4;
            const title = `${b.from.toFixed(1)}–${b.to.toFixed(1)}: ${b.n} labels, ${Math.round(b.accepted! * 100)}% accepted by people`;
            // The column marks a bucket that has labels (even when people accepted none of them);
            // fuller buckets are drawn more solid: a share of 2 labels says less than a share of 50.
            const column = svg('rect', { x, width, y: 0, height: H, class: 'judge-bucket' }, svg('title', {}, title));
            const bar = svg('rect', { x, width, y: H - height, height, class: 'judge-bar', 'fill-opacity': (0.35 + 0.65 * (b.n / most)).toFixed(2), 'data-n': b.n }, svg('title', {}, title));
            return [column, bar];
          }),
      );
      const names = [...new Set([...Object.keys(curves), ...Object.keys(preview ?? {})])].sort();
      const palette = [...new Set([...criteria, ...names])].sort();
      const colour = (name: string) => `c${palette.indexOf(name) % 6}`;
      const drawCurves = (set: Curves, dashed: boolean) =>
        Object.entries(set).map(([name, c]) => svg('path', { d: curvePath(c), class: `judge-curve ${colour(name)}${dashed ? ' preview' : ''}`, 'data-criterion': name, fill: 'none', 'vector-effect': 'non-scaling-stroke' }));
      lines.replaceChildren(...drawCurves(curves, false), ...drawCurves(preview ?? {}, true));
      legend.replaceChildren(
        ...names.map((n) => h('li', { class: colour(n), text: n })),
        ...(preview ? [h('li', { class: 'preview-key', text: 'dashed: the calibration previewed' })] : []),
      );
      legend.hidden = names.length === 0;
      const shown = (buckets ?? []).filter((b) => b.n > 0);
      empty.hidden = shown.length > 0 || names.length > 0;
      chart.setAttribute(
        'aria-label',
        shown.length
          ? `Share accepted by people per score bucket: ${shown.map((b) => `${b.from.toFixed(1)}–${b.to.toFixed(1)} ${Math.round(b.accepted! * 100)}% of ${b.n}`).join(', ')}`
          : 'No measurement yet',
      );
    },
  };
}

/** Flat before the first knot and after the last, linear between: as the daemon applies a curve. */
function curvePath(c: { x: number[]; y: number[] }): string {
  if (c.x.length === 0) return '';
  const pts: [number, number][] = [[0, c.y[0]], ...c.x.map((x, i) => [x, c.y[i]] as [number, number]), [1, c.y[c.y.length - 1]]];
  return pts.map(([x, y], i) => `${i ? 'L' : 'M'}${(x * W).toFixed(1)} ${(H - y * H).toFixed(1)}`).join(' ');
}
