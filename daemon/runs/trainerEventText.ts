// What the daemon makes of the trainer's events: a run's progress for clients and metrics, and
// the line each other event leaves in the log (the demo and the run panel read these).
import type { RunSummary } from '../protocol';
import type { TrainerEvent, TrainerEventOf } from './runners/trainerEvents';

export type RunProgress = NonNullable<RunSummary['progress']>;

export function progressOf(e: TrainerEventOf<'progress'>): RunProgress {
  return {
    step: e.step,
    totalSteps: e.total_steps,
    ...(e.epoch !== null ? { epoch: e.epoch } : {}),
    ...(e.loss !== null ? { loss: e.loss } : {}),
    ...(e.learning_rate !== null ? { learningRate: e.learning_rate } : {}),
    ...(e.tokens_per_second !== null ? { tokensPerSecond: e.tokens_per_second } : {}),
  };
}

/** "eval — before training: eval_loss 2.1000, ..." */
export function describeTrainerEvent(e: TrainerEvent): string {
  const detail =
    e.event === 'eval'
      ? `${e.phase} training: ${formatMetrics(e.metrics)}`
      : e.event === 'failed'
        ? `${e.reason} (${e.hint ?? ''})`
        : e.event === 'started'
          ? `${e.total_steps} steps on ${e.device}, ${e.train_samples} training / ${e.eval_samples} held-out samples`
          : '';
  return `${e.event}${detail ? ` — ${detail}` : ''}`;
}

/** Model metrics only: sample counts and timings are left out. */
function formatMetrics(m: Record<string, number | null>): string {
  return Object.entries(m)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && !entry[0].endsWith('samples') && !entry[0].endsWith('seconds'))
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ');
}
