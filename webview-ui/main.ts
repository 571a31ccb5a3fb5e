// The run panel webview entry (browser only; imports nothing of ours but daemon/protocol).
// Loads, says webview/ready with the cursor it saved, rebuilds from what the host replays,
// then follows the host's events. Saved state holds only ids, the cursor and view state.
import './panel.css';
import { PanelCancel, PanelJudgeCalibrate, PanelJudgeEvaluate, PanelJudgeRevert, PanelOpenLogs, PanelOpenModelCard, PanelRun, WEBVIEW_PROTOCOL_VERSION, WebviewReady } from '../daemon/protocol';
import { EventCursor } from './sync';
import { PanelClient, PanelError } from './transport';
import { PanelModel } from './model';
import { createPanel } from './panel';
import { getVsCodeApi } from './vscodeApi';
import { loadState, type SavedState, type ViewState } from './viewState';
import type { JudgeUiState, PanelActions, PendingState } from './context';

const api = getVsCodeApi();
const saved = loadState(api.getState());
const model = new PanelModel();
const view: ViewState = { selectedRunId: saved.selectedRunId, allLogs: saved.allLogs };
const pending: PendingState = { action: null, error: null };
const judge: JudgeUiState = { preview: null, busy: null, error: null };
const cursor = new EventCursor(saved.epoch, saved.cursor);
let firstSync = true;

const client = new PanelClient(api, {
  onSync(p) {
    if (!cursor.sync(p)) return sendReady(true);
    if (p.mode === 'reset') model.reset(firstSync && p.epoch === saved.epoch ? saved.cursor : -1);
    firstSync = false;
    app.setAttribute('aria-busy', 'false');
    schedule();
  },
  onEvent(e) {
    const offer = cursor.offer(e.params.seq);
    if (offer === 'apply') {
      model.apply(e);
      schedule();
    } else if (offer === 'resync') {
      sendReady(false);
    }
  },
  onInvalidEvent(seq, problem) {
    console.warn(`run panel: ignored an invalid event (${problem})`);
    if (seq !== undefined && cursor.offer(seq) === 'resync') sendReady(false);
  },
});

function sendReady(fresh: boolean): void {
  client.notify(WebviewReady, { protocolVersion: WEBVIEW_PROTOCOL_VERSION, cursor: cursor.cursor, epoch: cursor.epoch, fresh });
}

async function request(action: PendingState['action'], send: () => Promise<unknown>): Promise<void> {
  pending.action = action;
  pending.error = null;
  schedule();
  try {
    await send();
  } catch (err) {
    pending.error = err instanceof PanelError ? { message: err.message, hint: err.hint } : { message: String(err) };
  } finally {
    pending.action = null;
    schedule();
  }
}

/** The Judge card's requests report their errors in the card, not beside the Run button. */
async function judgeRequest<T>(busy: NonNullable<JudgeUiState['busy']>, send: () => Promise<T>, done?: (result: T) => void): Promise<void> {
  judge.busy = busy;
  judge.error = null;
  schedule();
  try {
    const result = await send();
    done?.(result);
  } catch (err) {
    judge.error = err instanceof PanelError ? { message: err.message, hint: err.hint } : { message: String(err) };
  } finally {
    judge.busy = null;
    schedule();
  }
}

const actions: PanelActions = {
  run(force) {
    view.selectedRunId = null;
    void request(force ? 'force' : 'run', () => client.request(PanelRun, { force }));
  },
  cancel() {
    const active = model.activeRun();
    void request('cancel', () => client.request(PanelCancel, active ? { id: active.id } : {}));
  },
  openLogs() {
    const run = model.displayedRun(view.selectedRunId);
    void request(null, () => client.request(PanelOpenLogs, run ? { runId: run.id } : {}));
  },
  openModelCard(path) {
    void request(null, () => client.request(PanelOpenModelCard, { path }));
  },
  selectRun(id) {
    view.selectedRunId = id;
    schedule();
  },
  setAllLogs(all) {
    view.allLogs = all;
    schedule();
  },
  judgeEvaluate() {
    void judgeRequest('evaluate', () => client.request(PanelJudgeEvaluate, {}, 600_000));
  },
  judgeCalibrate() {
    judge.preview = null;
    void judgeRequest('calibrate', () => client.request(PanelJudgeCalibrate, { apply: false }, 600_000), (r) => (judge.preview = r));
  },
  judgeApply() {
    const id = judge.preview?.id;
    if (!id) return;
    void judgeRequest('apply', () => client.request(PanelJudgeCalibrate, { apply: true, expect: id }, 600_000), () => (judge.preview = null));
  },
  judgeDiscard() {
    judge.preview = null;
    schedule();
  },
  judgeRevert() {
    void judgeRequest('revert', () => client.request(PanelJudgeRevert, {}));
  },
};

const app = document.getElementById('app') ?? document.body.appendChild(document.createElement('main'));
const update = createPanel(app, actions);

let scheduled = false;
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(render);
}

function render(): void {
  scheduled = false;
  update({ model, view, pending, judge, now: Date.now() });
  const state: SavedState = { v: 1, epoch: cursor.epoch, cursor: cursor.cursor, selectedRunId: view.selectedRunId, allLogs: view.allLogs };
  api.setState(state);
}

// Durations and the ETA move with the clock while a run is active.
setInterval(() => model.activeRun() && schedule(), 1000);

client.listen(window);
render();
sendReady(true);
