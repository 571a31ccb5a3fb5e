// The tail of the displayed run's log (or of the whole daemon log): the last 200 lines, as text.
import { h, section } from './dom';
import { clockTime } from './format';
import type { LogLine } from './model';
import type { PanelActions, RenderContext, View } from './context';

const SHOWN = 200;

export function createLogView(actions: PanelActions): View {
  const { root, body } = section('Log', 'log');
  const all = h('input', { id: 'all-logs', attrs: { type: 'checkbox' }, on: { change: () => actions.setAllLogs(all.checked) } });
  const open = h('button', { id: 'open-logs', class: 'secondary', text: 'Open logs', attrs: { type: 'button' }, on: { click: () => actions.openLogs() } });
  const toolbar = h('div', { class: 'toolbar' }, h('label', null, all, ' Every daemon entry'), open);
  const list = h('div', { id: 'log-lines', class: 'log', attrs: { role: 'log', 'aria-label': 'Log lines', tabindex: '0' } });
  const empty = h('p', { class: 'muted', text: 'No log lines yet.' });
  body.append(toolbar, list, empty);
  let shownFor = '';
  let rendered: string[] = [];

  return {
    root,
    update({ model, view }: RenderContext) {
      all.checked = view.allLogs;
      const run = model.displayedRun(view.selectedRunId);
      const lines = view.allLogs || !run ? model.logs : model.logs.filter((l) => l.entry.fields?.['run'] === run.id);
      const visible = lines.slice(-SHOWN);
      empty.hidden = visible.length > 0;
      const forKey = `${model.generation}:${view.allLogs}:${run?.id ?? ''}`;
      const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
      // Append what is new; rebuild when the filter changed or we lost our place.
      let start = 0;
      if (forKey === shownFor && rendered.length > 0) {
        const lastKey = rendered[rendered.length - 1];
        const at = visible.findIndex((l) => l.key === lastKey);
        start = at >= 0 ? at + 1 : -1;
      } else {
        start = -1;
      }
      if (start < 0) {
        list.replaceChildren();
        rendered = [];
        start = 0;
      }
      shownFor = forKey;
      const seen = model.lastSeen;
      for (let i = start; i < visible.length; i++) {
        const line = visible[i]!;
        const prev = visible[i - 1];
        if (seen >= 0 && line.seq > seen && prev && prev.seq <= seen) list.append(h('div', { class: 'log-new', text: 'new since you last looked', attrs: { role: 'separator' } }));
        list.append(renderLine(line));
        rendered.push(line.key);
      }
      while (rendered.length > SHOWN) {
        const first = list.firstElementChild;
        if (!first) break;
        if (first.classList.contains('log-line')) rendered.shift();
        first.remove();
      }
      if (atBottom) list.scrollTop = list.scrollHeight;
    },
  };
}

function renderLine({ entry }: LogLine): HTMLElement {
  return h(
    'div',
    { class: `log-line level-${entry.level}` },
    h('span', { class: 'log-time', text: clockTime(entry.time) }),
    h('span', { class: 'log-level', text: entry.level.toUpperCase() }),
    h('span', { class: 'log-event', text: entry.event }),
    h('span', { class: 'log-message', text: entry.message }),
  );
}
