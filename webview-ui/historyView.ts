// Run history: status, trigger, samples, start, duration and the version each run landed.
import { h, section, setText } from './dom';
import { dateTime, duration } from './format';
import type { PanelActions, RenderContext, View } from './context';
import type { RunSummary } from '../daemon/protocol';

const SHOWN = 50;
const HEADERS = ['Run', 'Status', 'Trigger', 'Samples', 'Started', 'Duration', 'Version'];

interface Row {
  tr: HTMLTableRowElement;
  select: HTMLButtonElement;
  cells: HTMLTableCellElement[];
}

export function createHistoryView(actions: PanelActions): View {
  const { root, body } = section('History', 'history');
  const follow = h('button', { id: 'follow-active', class: 'secondary', text: 'Follow the active run', attrs: { type: 'button' }, hidden: true, on: { click: () => actions.selectRun(null) } });
  const tbody = h('tbody');
  const table = h(
    'table',
    { id: 'history-table', class: 'grid-table' },
    h('caption', { class: 'sr-only', text: 'Fine-tuning runs, newest first' }),
    h('thead', null, h('tr', null, ...HEADERS.map((t) => h('th', { text: t, attrs: { scope: 'col' } })))),
    tbody,
  );
  const empty = h('p', { class: 'muted', text: 'No runs yet.' });
  body.append(follow, empty, table);
  const rows = new Map<string, Row>();
  let order = '';

  return {
    root,
    update({ model, view, now }: RenderContext) {
      const runs = model.history().slice(0, SHOWN);
      empty.hidden = runs.length > 0;
      table.hidden = runs.length === 0;
      follow.hidden = view.selectedRunId === null;
      const displayed = model.displayedRun(view.selectedRunId)?.id;
      const ids = new Set(runs.map((r) => r.id));
      for (const id of rows.keys()) if (!ids.has(id)) rows.delete(id);
      for (const run of runs) {
        let row = rows.get(run.id);
        if (!row) {
          row = createRow(run.id, () => actions.selectRun(view.selectedRunId === run.id ? null : run.id));
          rows.set(run.id, row);
        }
        fillRow(row, run, model.versions.find((v) => v.version === run.version)?.status, now);
        row.select.setAttribute('aria-pressed', String(view.selectedRunId === run.id));
        row.tr.classList.toggle('displayed', run.id === displayed);
      }
      const nextOrder = runs.map((r) => r.id).join('\n');
      if (nextOrder !== order) {
        order = nextOrder;
        tbody.replaceChildren(...runs.map((r) => rows.get(r.id)!.tr));
      }
    },
  };
}

function createRow(id: string, onSelect: () => void): Row {
  const select = h('button', { class: 'link', text: id, attrs: { type: 'button', 'aria-label': `Show run ${id}` }, on: { click: onSelect } });
  const cells = HEADERS.slice(1).map(() => h('td'));
  const tr = h('tr', { attrs: { 'data-run': id } }, h('th', { attrs: { scope: 'row' } }, select), ...cells);
  return { tr, select, cells };
}

function fillRow(row: Row, run: RunSummary, versionStatus: string | undefined, now: number): void {
  const [status, trigger, samples, started, took, version] = row.cells as [HTMLTableCellElement, HTMLTableCellElement, HTMLTableCellElement, HTMLTableCellElement, HTMLTableCellElement, HTMLTableCellElement];
  setText(status, run.status);
  status.className = `status-${run.status}`;
  setText(trigger, run.trigger);
  setText(samples, String(run.snapshot.count));
  setText(started, dateTime(run.startedAt ?? run.createdAt));
  const start = run.startedAt ? Date.parse(run.startedAt) : NaN;
  setText(took, Number.isNaN(start) ? '—' : duration((run.endedAt ? Date.parse(run.endedAt) : now) - start) + (run.endedAt ? '' : '…'));
  setText(version, run.version ? `${run.version}${versionStatus && versionStatus !== 'previous' ? ` (${versionStatus})` : ''}` : '—');
}
