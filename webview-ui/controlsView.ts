// Run, run anyway (force) and cancel, each with the reason it is unavailable.
import { h, setText } from './dom';
import { plural } from './format';
import { daemonConnected, type PanelActions, type RenderContext, type View } from './context';

export function createControls(actions: PanelActions): View {
  const reason = h('p', { id: 'run-reason', class: 'reason' });
  const run = h('button', { id: 'run', class: 'primary', text: 'Run fine-tuning', attrs: { type: 'button', 'aria-describedby': 'run-reason' }, on: { click: () => actions.run(false) } });
  const force = h('button', { id: 'run-force', class: 'secondary', text: 'Run anyway (force)', attrs: { type: 'button', 'aria-describedby': 'force-note' }, on: { click: () => actions.run(true) } });
  const forceNote = h('p', { id: 'force-note', class: 'muted' });
  const cancel = h('button', { id: 'cancel', class: 'secondary', text: 'Cancel run', attrs: { type: 'button' }, on: { click: () => actions.cancel() } });
  const error = h('div', { id: 'request-error', class: 'error', attrs: { role: 'alert' }, hidden: true });
  const root = h('div', { id: 'controls', class: 'controls' }, h('div', { class: 'buttons' }, run, force, cancel), reason, forceNote, error);

  return {
    root,
    update(ctx: RenderContext) {
      const { model, pending } = ctx;
      const s = model.status;
      const active = model.activeRun();
      const connected = daemonConnected(ctx);
      let why: string | null = null;
      if (!connected) why = model.connection?.message ?? 'The daemon is not connected';
      else if (!s) why = 'Waiting for the daemon…';
      else if (active) why = `Run ${active.id} is ${active.status}`;
      else if (s.remaining > 0) why = `${plural(s.remaining, 'more high-quality sample')} needed`;

      run.disabled = why !== null || pending.action !== null;
      setText(run, pending.action === 'run' ? 'Starting…' : 'Run fine-tuning');
      setText(reason, why ?? (s ? `Threshold reached: ${s.collected} / ${s.threshold} high-quality samples` : ''));

      const below = connected && s !== null && !active && s.remaining > 0;
      force.hidden = !below;
      forceNote.hidden = !below;
      const nothing = s !== null && s.datasetSamples === 0;
      force.disabled = !below || nothing || pending.action !== null;
      setText(force, pending.action === 'force' ? 'Starting…' : 'Run anyway (force)');
      if (s) setText(forceNote, nothing ? 'No high-quality samples to train on yet.' : `Trains now on ${plural(s.datasetSamples, 'sample')}, below the threshold of ${s.threshold}.`);

      cancel.hidden = !active;
      cancel.disabled = !connected || pending.action !== null;
      setText(cancel, pending.action === 'cancel' ? 'Cancelling…' : 'Cancel run');
      if (active) cancel.setAttribute('aria-label', `Cancel run ${active.id}`);

      error.hidden = pending.error === null;
      if (pending.error) setText(error, pending.error.hint ? `${pending.error.message} — ${pending.error.hint}` : pending.error.message);
    },
  };
}
