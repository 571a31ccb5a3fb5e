// Raw judge scores for labelled samples, a batch at a time. A judge that fails on every sample of
// the first batch is unreachable or misconfigured: its error (message and hint) is thrown at once
// rather than after minutes of retries on every label. Failures after that are reported per label.
// A cancelled request (the client cancelled or left) stops after the batch in flight.
import { DomainError, withHint } from '../errors/DomainError';
import type { Label } from '../judge/evaluation/labels';
import type { Judge, TaskType } from '../judge/types';

export interface RawScored {
  label: Label;
  raw: Record<string, number>;
}

export interface ScoreOutcome {
  scored: RawScored[];
  errors: { where: string; error: string }[];
}

export async function scoreLabels(
  judge: Judge,
  task: TaskType,
  criteria: readonly string[],
  labels: readonly Label[],
  progress: (fraction: number, message: string) => void,
  signal?: AbortSignal,
  batchSize = 16,
): Promise<ScoreOutcome> {
  const scored: RawScored[] = [];
  const errors: ScoreOutcome['errors'] = [];
  for (let i = 0; i < labels.length; i += batchSize) {
    if (signal?.aborted) throw cancelled(i, labels.length);
    const batch = labels.slice(i, i + batchSize);
    const settled = await Promise.allSettled(batch.map((l) => judge.judge(l.sample, task, signal)));
    if (signal?.aborted) throw cancelled(i, labels.length);
    settled.forEach((s, k) => {
      if (s.status === 'fulfilled') scored.push({ label: batch[k], raw: pick(s.value.scores, criteria) });
      else errors.push({ where: batch[k].where, error: withHint(s.reason) });
    });
    if (scored.length === 0 && settled.every((s) => s.status === 'rejected')) throw (settled[0] as PromiseRejectedResult).reason;
    progress(Math.min(1, (i + batch.length) / labels.length), `judged ${i + batch.length} of ${labels.length} labelled samples`);
  }
  return { scored, errors };
}

function cancelled(judged: number, of: number): DomainError {
  return new DomainError('cancelled', `cancelled after judging ${judged} of ${of} labelled samples`, 'run it again when you want the figures; scores judged so far are kept, so it resumes faster');
}

/** The configured criteria, each clamped to 0..1 (a missing one scores 0, as when samples are judged). */
function pick(scores: Record<string, number>, criteria: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of criteria) {
    const v = scores[name];
    out[name] = Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
  }
  return out;
}
