// The whole panel: banners, then one card per concern. Every view updates in place.
import { h, setText } from './dom';
import { createConfigView } from './configView';
import { createControls } from './controlsView';
import { createDataView } from './dataView';
import { createEvalView } from './evalView';
import { createHistoryView } from './historyView';
import { createJudgeView } from './judgeView';
import { createLogView } from './logView';
import { createRunView } from './runView';
import type { PanelActions, RenderContext, View } from './context';

export function createPanel(root: HTMLElement, actions: PanelActions): (ctx: RenderContext) => void {
  const subtitle = h('p', { id: 'subtitle', class: 'muted' });
  const connection = h('div', { id: 'connection', class: 'banner', attrs: { role: 'status' }, hidden: true });
  const configError = h('div', { id: 'config-error', class: 'banner warning', attrs: { role: 'status' }, hidden: true });
  const views: View[] = [
    createDataView(),
    createControls(actions),
    createRunView(),
    createEvalView(actions),
    createLogView(actions),
    createConfigView(),
    createHistoryView(actions),
    createJudgeView(actions),
  ];
  const [data, controls, run, evaluation, log, config, history, judge] = views.map((v) => v.root) as [HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement];
  data.querySelector('.section-body')!.append(controls);
  root.replaceChildren(
    h('header', null, h('h1', { text: 'Fine-tune run' }), subtitle),
    connection,
    configError,
    h('div', { class: 'columns' }, h('div', { class: 'column' }, data, config, judge), h('div', { class: 'column wide' }, run, evaluation)),
    log,
    history,
  );

  return (ctx) => {
    const { model } = ctx;
    const s = model.status;
    setText(subtitle, s ? `${s.task} · ${s.workspace}` : 'Connecting…');
    const c = model.connection;
    connection.hidden = c === null || c.state === 'connected';
    if (c && c.state !== 'connected') setText(connection, c.message ?? (c.state === 'connecting' ? 'Connecting to the daemon…' : 'The daemon is not connected.'));
    configError.hidden = !s?.configError;
    if (s?.configError) setText(configError, `models.yml is invalid; the last good configuration is in use: ${s.configError}`);
    for (const v of views) v.update(ctx);
  };
}
