// The text and actions of the extension's notifications (no vscode).
import type { ModelVersion, RunSummary } from '../../daemon/protocol';
import { describeComparison, headlineMetric } from '../views/metrics';

export const OPEN_MODEL_CARD = 'Open Model Card';
export const OPEN_RUN_PANEL = 'Open Run Panel';
export const SHOW_LOGS = 'Show Logs';
export const PROMOTE_ANYWAY = 'Promote Anyway';

export type Landed = ModelVersion & { promoted: boolean; reason: string };

export interface NotificationView {
  severity: 'info' | 'warning' | 'error';
  message: string;
  actions: string[];
}

/** models/didLand: promoted → info with the metric against before; kept as a candidate → warning with the gate's reason. */
export function landedNotification(v: Landed): NotificationView {
  const head = headlineMetric(v.metrics);
  const metric = head ? ` ${describeComparison(head)}.` : '';
  if (v.promoted) {
    return {
      severity: 'info',
      message: `Fine-tune: new model version ${v.version} landed and is now current.${metric}`,
      actions: [OPEN_MODEL_CARD, OPEN_RUN_PANEL],
    };
  }
  return {
    severity: 'warning',
    message: `Fine-tune: model version ${v.version} landed but was not promoted: ${v.reason}.${metric}`.replace(/\.\./g, '.'),
    actions: [OPEN_MODEL_CARD, PROMOTE_ANYWAY],
  };
}

/** runs/didFinish: only a failure is worth a notification (a success lands a version, which says so; a cancel was asked for). */
export function finishedNotification(r: RunSummary): NotificationView | undefined {
  if (r.status !== 'failed') return undefined;
  const hint = r.error?.hint ? `. ${r.error.hint.charAt(0).toUpperCase()}${r.error.hint.slice(1)}` : '';
  const reason = r.error ? `${r.error.message}${hint}` : 'no reason was given';
  return { severity: 'error', message: `Fine-tune: run ${r.id} failed: ${reason}`.replace(/\.\./g, '.'), actions: [SHOW_LOGS] };
}
