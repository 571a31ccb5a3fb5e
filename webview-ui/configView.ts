// The configuration the next run will use.
import { h, section, setText } from './dom';
import { learningRate } from './format';
import type { RenderContext, View } from './context';
import type { PanelConfig } from '../daemon/protocol';

const ROWS: Array<[string, (c: PanelConfig) => string | undefined]> = [
  ['Base model', (c) => c.baseModel],
  ['Task', (c) => c.task],
  ['Method', (c) => c.method],
  ['Runner', (c) => c.runner],
  ['Batch size', (c) => String(c.batchSize)],
  ['Learning rate', (c) => learningRate(c.learningRate)],
  ['Epochs', (c) => String(c.epochs)],
  ['Threshold', (c) => String(c.threshold)],
];

export function createConfigView(): View {
  const { root, body } = section('Configuration', 'config');
  const empty = h('p', { class: 'muted', text: 'Waiting for the configuration…' });
  const list = h('dl', { class: 'pairs', hidden: true });
  const values = ROWS.map(([label]) => {
    const dd = h('dd');
    list.append(h('div', { class: 'pair' }, h('dt', { text: label }), dd));
    return dd;
  });
  body.append(empty, list);

  return {
    root,
    update({ model }: RenderContext) {
      const c = model.config;
      empty.hidden = c !== null;
      list.hidden = c === null;
      if (!c) return;
      ROWS.forEach(([, get], i) => {
        const v = get(c);
        setText(values[i]!, v ?? '—');
        values[i]!.parentElement!.hidden = v === undefined;
      });
    },
  };
}
