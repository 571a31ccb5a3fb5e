// What every view gets to render from, and what it may ask for.
import type { CalibrateReport } from '../daemon/protocol';
import type { PanelModel } from './model';
import type { ViewState } from './viewState';

export interface PendingState {
  /** The request in flight, if any. */
  action: 'run' | 'force' | 'cancel' | null;
  /** The last request's error, until the next request. */
  error: { message: string; hint?: string } | null;
}

/** The Judge card's own requests: a calibration preview waiting for Apply or Discard, and errors. */
export interface JudgeUiState {
  preview: CalibrateReport | null;
  busy: 'evaluate' | 'calibrate' | 'apply' | 'revert' | null;
  error: { message: string; hint?: string } | null;
}

export interface RenderContext {
  model: PanelModel;
  view: ViewState;
  pending: PendingState;
  judge: JudgeUiState;
  now: number;
}

export interface PanelActions {
  run(force: boolean): void;
  cancel(): void;
  openLogs(): void;
  openModelCard(path: string): void;
  selectRun(id: string | null): void;
  setAllLogs(all: boolean): void;
  judgeEvaluate(): void;
  /** Fit a calibration and preview it. */
  judgeCalibrate(): void;
  /** Write the previewed calibration. */
  judgeApply(): void;
  judgeDiscard(): void;
  judgeRevert(): void;
}

export interface View {
  root: HTMLElement;
  update(ctx: RenderContext): void;
}

/** False while the daemon is known to be away. */
export function daemonConnected(ctx: RenderContext): boolean {
  const c = ctx.model.connection;
  return c === null || c.state === 'connected';
}
