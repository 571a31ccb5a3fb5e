// Held-out evaluation before and after training, from the landed version's metrics.
import { h, section, setText } from './dom';
import { num, signed } from './format';
import type { PanelActions, RenderContext, View } from './context';
import type { ModelVersion } from '../daemon/protocol';

const ORDER = ['eval_loss', 'perplexity', 'rouge1', 'rouge2', 'rougeL', 'accuracy', 'exact_match'];
const LOWER_IS_BETTER = /loss|perplexity/i;

export function createEvalView(actions: PanelActions): View {
  const { root, body } = section('Held-out evaluation', 'eval');
  const caption = h('p', { id: 'eval-version' });
  const empty = h('p', { class: 'muted' });
  const tbody = h('tbody');
  const table = h(
    'table',
    { id: 'eval-table', class: 'grid-table' },
    h('caption', { class: 'sr-only', text: 'Metrics on the held-out split, before and after training' }),
    h('thead', null, h('tr', null, ...['Metric', 'Before', 'After', 'Change'].map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
    tbody,
  );
  let cardPath = '';
  const card = h('button', { id: 'open-model-card', class: 'secondary', text: 'Open model card', attrs: { type: 'button' }, on: { click: () => cardPath && actions.openModelCard(cardPath) } });
  body.append(caption, empty, table, card);
  let shown = '';

  return {
    root,
    update({ model, view }: RenderContext) {
      const run = model.displayedRun(view.selectedRunId);
      const active = run !== null && (run.status === 'queued' || run.status === 'running');
      // While a run trains, the current version is the reference it will be compared with.
      const v = model.versionFor(run) ?? (active ? model.versionFor(null) : null);
      const reference = v !== null && active && v.runId !== run?.id;
      card.hidden = v === null;
      cardPath = v?.path ?? '';
      if (v) card.setAttribute('aria-label', `Open the model card of ${v.version}`);
      const label = v ? `${v.version}${v.status ? ` (${v.status})` : v.current ? ' (current)' : ''}${v.runId ? ` · run ${v.runId}` : ''}` : '';
      setText(caption, reference ? `${label} — this run's own evaluation appears when it lands` : label);
      const rows = v ? metricRows(v) : [];
      table.hidden = rows.length === 0;
      empty.hidden = rows.length > 0;
      setText(empty, !v ? (active ? 'Evaluation appears when this run lands a version.' : run ? 'No version landed for this run.' : 'No model version yet.') : 'This version has no held-out metrics.');
      const key = JSON.stringify(rows);
      if (key === shown) return;
      shown = key;
      tbody.replaceChildren(
        ...rows.map((r) => {
          const change = r.before !== undefined && r.after !== undefined ? r.after - r.before : undefined;
          const better = change === undefined || change === 0 ? null : LOWER_IS_BETTER.test(r.name) ? change < 0 : change > 0;
          return h(
            'tr',
            null,
            h('th', { text: r.name, attrs: { scope: 'row' } }),
            h('td', { text: num(r.before) }),
            h('td', { text: num(r.after) }),
            h('td', { class: better === null ? '' : better ? 'better' : 'worse', text: change === undefined ? '—' : `${signed(change)}${better === null ? '' : better ? ' (better)' : ' (worse)'}` }),
          );
        }),
      );
    },
  };
}

interface MetricRow {
  name: string;
  before?: number;
  after?: number;
}

export function metricRows(v: ModelVersion): MetricRow[] {
  const before = numbers(v.metrics?.before);
  const after = numbers(v.metrics?.after);
  // Sample counts and timings describe the evaluation, not the model: they are not compared.
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((n) => !/_(samples|seconds)$/.test(n));
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((name) => ({ name, before: before[name], after: after[name] }));
}

function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

function numbers(table: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof table !== 'object' || table === null) return out;
  for (const [k, v] of Object.entries(table)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}
