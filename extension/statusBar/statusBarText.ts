// The status bar item's text, tooltip and look for a daemon status and the active run's
// progress. Pure: tested without VS Code.
import type { RunSummary, Status } from '../../daemon/protocol';
import { percent, plural } from '../format';
import type { ConnectionState } from '../daemon/connectionState';

export interface StatusBarView {
  text: string;
  tooltip: string;
  /** 'error' → the error background, 'warning' → the warning background. */
  severity: 'normal' | 'warning' | 'error';
  /** The command a click runs. */
  command: string;
}

export const OPEN_PANEL_COMMAND = 'finetune.runPanel.open';
export const START_DAEMON_COMMAND = 'finetune.daemon.start';

export function statusBarView(conn: ConnectionState, status: Status | undefined, progress?: RunSummary['progress']): StatusBarView {
  if (conn.kind === 'starting' || (conn.kind === 'running' && !status)) {
    return { text: '$(loading~spin) Fine-tune', tooltip: 'Fine-tune: connecting to the daemon…', severity: 'normal', command: OPEN_PANEL_COMMAND };
  }
  if (conn.kind === 'stopped') {
    // Not started on purpose (auto-start off, or not a flywheel workspace): no alarm.
    return { text: '$(beaker) Fine-tune: stopped', tooltip: `Fine-tune: ${conn.message}\nClick to start the daemon.`, severity: 'normal', command: START_DAEMON_COMMAND };
  }
  if (conn.kind === 'down' || !status) {
    const why = conn.kind === 'down' ? conn.message : 'the daemon is not connected';
    return {
      text: '$(error) Fine-tune: daemon down',
      tooltip: `Fine-tune: the daemon is not running: ${why}\nClick to start it.`,
      severity: 'error',
      command: START_DAEMON_COMMAND,
    };
  }
  const run = status.activeRun;
  const lines = [
    `Fine-tune: ${status.collected} of ${status.threshold} high-quality samples collected (${status.task})`,
    `Judge: ${status.judge.name} ${status.judge.version}`,
    `Current model: ${status.currentModel ? status.currentModel.version : 'none yet'}`,
  ];
  if (!status.enabled) lines.push('Automatic fine-tuning is off (finetuning.enabled: false)');
  if (status.configError) lines.push(`config/models.yml has an error (the last good config is in use): ${status.configError}`);
  if (status.storage) {
    // Samples are refused while it lasts: this outranks progress and counts.
    lines.unshift(`Storage fault: ${status.storage.message}`, status.storage.hint);
    return { text: '$(error) Fine-tune: storage fault', tooltip: lines.join('\n'), severity: 'error', command: OPEN_PANEL_COMMAND };
  }
  if (run) {
    const p = progress ?? run.progress;
    const pct = p ? percent(p.step, p.totalSteps) : undefined;
    lines.unshift(`Run ${run.id}: ${run.status}${p ? `, step ${p.step} of ${p.totalSteps}` : ''}${p?.loss !== undefined ? `, loss ${p.loss.toFixed(4)}` : ''}`);
    lines.push('Click to open the run panel.');
    const text =
      run.status === 'queued'
        ? '$(clock) Fine-tune queued'
        : pct !== undefined
          ? `$(sync~spin) Fine-tuning ${pct}%`
          : '$(sync~spin) Fine-tuning';
    return { text, tooltip: lines.join('\n'), severity: 'normal', command: OPEN_PANEL_COMMAND };
  }
  lines.push('Click to open the run panel.');
  const text =
    status.remaining > 0
      ? `$(beaker) ${plural(status.remaining, 'sample')} to fine-tune`
      : `$(beaker) Ready to fine-tune (${plural(status.collected, 'sample')})`;
  return { text, tooltip: lines.join('\n'), severity: status.configError ? 'warning' : 'normal', command: OPEN_PANEL_COMMAND };
}
