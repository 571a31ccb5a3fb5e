// What 'Fine-tune: Run' does with the daemon's answer: a pure decision, so the
// below-threshold → 'Run Anyway' flow is testable without VS Code.
import { ErrorCodes, type RunSummary } from '../../daemon/protocol';
import { describeError, errorInfo } from '../errors';
import { plural } from '../format';

export const RUN_ANYWAY = 'Run Anyway';
export const OPEN_RUN_PANEL = 'Open Run Panel';

export type RunStartOutcome =
  /** Started (or queued): say so, offer the panel. */
  | { kind: 'started'; message: string; actions: [typeof OPEN_RUN_PANEL] }
  /** Below the threshold: show the numbers, offer to retry with force. */
  | { kind: 'below-threshold'; message: string; actions: [typeof RUN_ANYWAY] }
  /** A run is already active: offer the panel. */
  | { kind: 'run-active'; message: string; actions: [typeof OPEN_RUN_PANEL] }
  | { kind: 'error'; message: string; actions: [] };

export function startedOutcome(run: RunSummary): RunStartOutcome {
  const what = run.status === 'queued' ? 'queued' : 'started';
  return {
    kind: 'started',
    message: `Fine-tune: run ${run.id} ${what} on ${plural(run.snapshot.count, 'sample')} (${run.baseModel}).`,
    actions: [OPEN_RUN_PANEL],
  };
}

/** The outcome of a refused runs/start; `forced` says the refused request already had force. */
export function refusedOutcome(err: unknown, forced: boolean): RunStartOutcome {
  const info = errorInfo(err);
  if (!forced && (info.code === ErrorCodes.BelowThreshold || info.kind === 'below-threshold')) {
    const d = info.details ?? {};
    const collected = numberOr(d.collected);
    const threshold = numberOr(d.threshold);
    const remaining = numberOr(d.remaining);
    const numbers =
      collected !== undefined && threshold !== undefined && remaining !== undefined
        ? `${collected} of ${threshold} high-quality samples collected; ${plural(remaining, 'more sample')} needed before fine-tuning.`
        : `${info.message}.`;
    return { kind: 'below-threshold', message: `Fine-tune: ${numbers} Run anyway on the samples collected so far?`, actions: [RUN_ANYWAY] };
  }
  if (info.code === ErrorCodes.RunActive || info.kind === 'run-active') {
    return { kind: 'run-active', message: `Fine-tune: ${info.message}.`, actions: [OPEN_RUN_PANEL] };
  }
  return { kind: 'error', message: `Fine-tune: could not start a run: ${describeError(err)}`, actions: [] };
}

function numberOr(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
