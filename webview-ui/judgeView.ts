// The Judge card: how many Accept / Reject overrides people have made, the calibration in use,
// the judge's agreement with those labels (figures and chart), and Calibrate: a preview of the
// before/after figures, applied only on confirmation. Revert goes back one calibration.
import { h, section, setText } from './dom';
import { plural } from './format';
import { createJudgeChart } from './judgeChart';
import { daemonConnected, type PanelActions, type RenderContext, type View } from './context';
import type { Agreement, CalibrateReport, CalibrationInUse, EvalReport, PanelJudge } from '../daemon/protocol';

const two = (x: number | null): string => (x === null ? '—' : x.toFixed(2));
const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

export function createJudgeView(actions: PanelActions): View {
  const { root, body } = section('Judge', 'judge');
  const overrides = h('p', { id: 'judge-overrides' });
  const calibration = h('p', { id: 'judge-calibration', class: 'muted' });
  const problem = h('div', { id: 'judge-problem', class: 'banner warning', attrs: { role: 'status' }, hidden: true });
  const figures = h('tbody');
  const table = h('table', { id: 'judge-figures', class: 'grid-table', hidden: true }, h('caption', { class: 'sr-only', text: 'The judge against people\'s labels' }), figures);
  const chart = createJudgeChart();
  const measure = h('button', { id: 'judge-evaluate', class: 'secondary', text: 'Measure agreement', attrs: { type: 'button' }, on: { click: () => actions.judgeEvaluate() } });
  const calibrate = h('button', { id: 'judge-calibrate', class: 'secondary', text: 'Calibrate…', attrs: { type: 'button', 'aria-describedby': 'judge-overrides' }, on: { click: () => actions.judgeCalibrate() } });
  const revert = h('button', { id: 'judge-revert', class: 'link', text: 'Revert calibration', attrs: { type: 'button' }, on: { click: () => actions.judgeRevert() } });
  const error = h('div', { id: 'judge-error', class: 'error', attrs: { role: 'alert' }, hidden: true });
  const preview = createPreview(actions);
  body.append(overrides, calibration, problem, table, chart.root, h('div', { class: 'buttons' }, measure, calibrate, revert), error, preview.root);

  return {
    root,
    update(ctx: RenderContext) {
      const j: PanelJudge | null = ctx.model.judge;
      const ui = ctx.judge;
      const o = j?.overview ?? null;
      const connected = daemonConnected(ctx);
      setText(overrides, o ? overridesText(o.overrides, o.needed) : 'Waiting for the daemon…');
      setText(calibration, o ? calibrationText(o.inUse, o.problem) : '');
      problem.hidden = !j?.problem;
      if (j?.problem) setText(problem, j.problem.hint ? `${j.problem.message} — ${j.problem.hint}` : j.problem.message);
      const e = j?.evaluation ?? null;
      table.hidden = e === null;
      if (e) renderRows(figures, figureRows(e));
      chart.update(e?.buckets ?? null, o?.inUse.curves ?? e?.calibration.curves ?? {}, ui.preview?.curves ?? null, Object.keys(e?.criteria ?? ui.preview?.before.criteria ?? {}));

      const busy = ui.busy !== null || j?.measuring === true;
      measure.disabled = !connected || busy;
      setText(measure, j?.measuring ? 'Measuring…' : 'Measure agreement');
      const enough = o !== null && o.overrides >= o.needed;
      calibrate.disabled = !connected || busy || !enough;
      calibrate.title = enough ? 'Fit the calibration on these labels and show what it changes' : `Needs ${o ? o.needed : 30} labels`;
      setText(calibrate, ui.busy === 'calibrate' ? 'Fitting…' : 'Calibrate…');
      revert.hidden = !o?.current;
      revert.disabled = !connected || busy;
      error.hidden = ui.error === null;
      if (ui.error) setText(error, ui.error.hint ? `${ui.error.message} — ${ui.error.hint}` : ui.error.message);
      preview.update(ui.preview, busy, connected);
    },
  };
}

function overridesText(n: number, needed: number): string {
  const made = `${plural(n, 'Accept / Reject override')} so far`;
  return n >= needed ? made : `${made}; ${needed - n} more needed to measure or calibrate the judge (Accept / Reject in a dataset file)`;
}

function calibrationText(c: CalibrationInUse, problem: string | null): string {
  const what = c.source === 'workspace' ? `workspace ${c.version} (fitted on ${c.fittedOn})` : c.source === 'shipped' ? 'the one the judge ships with' : 'none (raw scores)';
  return `Calibration: ${what}${problem ? `. ${problem}` : ''}`;
}

export function figureRows(e: EvalReport): [string, string][] {
  const g = e.gateForPrecision;
  const floors = Object.entries(e.gate.floors).map(([k, v]) => `, ${k} ≥ ${v}`).join('');
  return [
    ['Labels', `${e.labels} (people accept ${pct(e.base)})`],
    ['Spearman', two(e.spearman)],
    ['Kendall', two(e.kendall)],
    ['ROC AUC', two(e.auc)],
    [`Gate (average > ${e.gate.minAverage}${floors})`, `keeps ${e.kept}: precision ${two(e.precision)}, recall ${two(e.recall)}`],
    [`For precision ${two(g.target)}`, g.minAverage === null ? 'no min_average reaches it' : `min_average ${two(g.minAverage)} keeps ${g.kept} (recall ${two(g.recall)})`],
  ];
}

/** A row header and its cells; rebuilt only when the text changed. */
function renderRows(tbody: HTMLElement, rows: string[][]): void {
  const key = JSON.stringify(rows);
  if (tbody.dataset.key === key) return;
  tbody.dataset.key = key;
  tbody.replaceChildren(...rows.map(([k, ...cells]) => h('tr', null, h('th', { text: k, attrs: { scope: 'row' } }), ...cells.map((c) => h('td', { text: c })))));
}

/** The fitted calibration's effect, before and after (cross-validated), with Apply and Discard. */
function createPreview(actions: PanelActions): { root: HTMLElement; update(p: CalibrateReport | null, busy: boolean, connected: boolean): void } {
  const notes = h('ul', { id: 'judge-fit' });
  const rows = h('tbody');
  const table = h('table', { id: 'judge-compare', class: 'grid-table' }, h('thead', null, h('tr', null, ...['', 'Before', 'After'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))), rows);
  const nothing = h('p', { class: 'muted', text: 'No criterion agrees with these labels better than chance: nothing to calibrate.' });
  const apply = h('button', { id: 'judge-apply', class: 'primary', text: 'Apply calibration', attrs: { type: 'button' }, on: { click: () => actions.judgeApply() } });
  const discard = h('button', { id: 'judge-discard', class: 'secondary', text: 'Discard', attrs: { type: 'button' }, on: { click: () => actions.judgeDiscard() } });
  const root = h(
    'div',
    { id: 'judge-preview', class: 'preview', attrs: { role: 'region', 'aria-label': 'Calibration preview' }, hidden: true },
    h('h3', { text: 'Calibration preview' }),
    notes,
    table,
    h('p', { class: 'muted', text: 'After: each label scored by curves fitted without it (cross-validated). Nothing is written until you apply.' }),
    nothing,
    h('div', { class: 'buttons' }, apply, discard),
  );
  return {
    root,
    update(p, busy, connected) {
      root.hidden = p === null;
      if (!p) return;
      notes.replaceChildren(...p.criteria.map((c) => h('li', { text: `${c.name}: ${c.note}` })));
      renderRows(rows, compareRows(p.before, p.after));
      nothing.hidden = p.changes;
      apply.hidden = !p.changes;
      apply.disabled = busy || !connected;
      setText(apply, busy ? 'Applying…' : 'Apply calibration');
      discard.disabled = busy;
    },
  };
}

function compareRows(b: Agreement, a: Agreement): [string, string, string][] {
  return [
    ['Spearman', two(b.spearman), two(a.spearman)],
    ['ROC AUC', two(b.auc), two(a.auc)],
    ['Kept by the gate', String(b.kept), String(a.kept)],
    ['Precision', two(b.precision), two(a.precision)],
    ['Recall', two(b.recall), two(a.recall)],
    [`min_average for ${two(b.gateForPrecision.target)}`, two(b.gateForPrecision.minAverage), two(a.gateForPrecision.minAverage)],
  ];
}
