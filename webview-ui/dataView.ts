// Samples to threshold: collected / threshold, what remains, and where they come from.
import { h, section, setText } from './dom';
import { plural } from './format';
import type { RenderContext, View } from './context';

export function createDataView(): View {
  const { root, body } = section('Training data', 'data');
  const count = h('p', { id: 'threshold-count', class: 'big' });
  const fill = h('div', { class: 'bar-fill' });
  const bar = h('div', { class: 'bar', attrs: { role: 'progressbar', 'aria-label': 'High-quality samples toward the threshold', 'aria-valuemin': '0' } }, fill);
  const remaining = h('p', { id: 'threshold-remaining' });
  const details = h('p', { class: 'muted' });
  const auto = h('p', { class: 'muted' });
  body.append(count, bar, remaining, details, auto);

  return {
    root,
    update({ model }: RenderContext) {
      const s = model.status;
      if (!s) {
        setText(count, '— / —');
        setText(remaining, 'Waiting for the daemon…');
        return;
      }
      setText(count, `${s.collected} / ${s.threshold}`);
      count.setAttribute('aria-label', `${s.collected} of ${s.threshold} high-quality samples collected`);
      const fraction = s.threshold > 0 ? Math.min(1, s.collected / s.threshold) : 1;
      fill.style.width = `${(fraction * 100).toFixed(1)}%`;
      bar.setAttribute('aria-valuemax', String(s.threshold));
      bar.setAttribute('aria-valuenow', String(Math.min(s.collected, s.threshold)));
      setText(remaining, s.remaining > 0 ? `${plural(s.remaining, 'more high-quality sample')} needed (${s.remaining} remaining)` : 'Threshold reached');
      remaining.className = s.remaining > 0 ? '' : 'ok';
      const invalid = s.invalidLines > 0 ? `, ${plural(s.invalidLines, 'invalid line')}` : '';
      setText(details, `${plural(s.datasetSamples, 'sample')} in ${s.datasetPath}${invalid} · judge ${s.judge.name} ${s.judge.version}, kept above ${s.minAverage}`);
      setText(auto, s.enabled ? 'A run starts by itself when the threshold is reached.' : 'Automatic runs are off (finetuning.enabled: false); start runs here.');
    },
  };
}
