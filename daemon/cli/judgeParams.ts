// What judge eval and judge calibrate share: --labels FILE (read by the daemon inside the
// workspace, sent as text from elsewhere), --precision P, and a progress bar for the judging.
import { randomUUID } from 'node:crypto';
import type { DaemonClient } from '../client/DaemonClient';
import { ProgressDidReport, type LabelsSource } from '../protocol';
import { UsageError, type CliContext } from './context';
import { progressBar } from './progressBar';
import { sourceParams } from './sourceParams';

export interface JudgeParams {
  labels?: LabelsSource;
  precision?: number;
  progressToken: string;
}

export function judgeParams(ctx: CliContext): JudgeParams {
  const token = randomUUID();
  const out: JudgeParams = { progressToken: token };
  const file = ctx.flags.labels;
  if (file !== undefined) {
    if (typeof file !== 'string' || file === '') throw new UsageError('--labels needs a FILE', 'finetune judge eval --labels labels.jsonl (one {"input", "output", "human"} object per line)');
    const { progressToken: _t, ...source } = sourceParams(ctx.workspace, file, token);
    out.labels = source;
  }
  const p = ctx.flags.precision;
  if (p !== undefined) {
    const value = Number(p);
    if (typeof p !== 'string' || !(value > 0 && value <= 1)) throw new UsageError(`--precision must be a number above 0 and at most 1, got "${String(p)}"`, 'e.g. --precision 0.9: the share of kept samples people should accept');
    out.precision = value;
  }
  return out;
}

/** Draws the daemon's progress for this request on a TTY; returns the function that clears it. */
export function showProgress(ctx: CliContext, client: DaemonClient, token: string): () => void {
  const bar = progressBar(ctx.err, !ctx.json);
  client.on(ProgressDidReport, (p) => p.token === token && bar.update(p.value.fraction, p.value.message));
  return () => bar.done();
}
