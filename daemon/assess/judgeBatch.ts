// The one way samples are judged in bulk (ingest, assess, the dataset's unjudged lines, editor
// lines, re-judge): every sample of a batch at once, so a remote judge works concurrently; a
// failure is kept beside its sample and never loses the others (allSettled); the verdicts are
// recorded with one append (one fsync) — by default at once, or by the caller when it orders
// the write itself (ingest records a batch's verdicts just before storing its samples).
import type { Assessment } from '../protocol';
import type { SampleRecord } from '../store/sampleCheck';
import type { Assessor } from './Assessor';

export interface ToJudge {
  id: string;
  sample: SampleRecord;
}

export type Judged<T extends ToJudge> = { item: T; assessment: Assessment } | { item: T; error: unknown };

export interface JudgedBatch<T extends ToJudge> {
  /** Per item, in the order given. */
  results: Judged<T>[];
  assessments: Assessment[];
  failures: { item: T; error: unknown }[];
}

export interface JudgeBatchOptions {
  /** Judge again even when this judge version already has a verdict (an explicit re-judge). */
  force?: boolean;
  signal?: AbortSignal;
  /** False: the caller records `assessments` itself. Default true. */
  record?: boolean;
}

export async function judgeBatch<T extends ToJudge>(assessor: Assessor, items: T[], opts: JudgeBatchOptions = {}): Promise<JudgedBatch<T>> {
  const settled = await Promise.allSettled(items.map((x) => assessor.judgeOne(x.id, x.sample, opts.signal, { force: opts.force })));
  const batch: JudgedBatch<T> = { results: [], assessments: [], failures: [] };
  for (const [i, outcome] of settled.entries()) {
    const item = items[i];
    if (outcome.status === 'fulfilled') {
      batch.results.push({ item, assessment: outcome.value });
      batch.assessments.push(outcome.value);
    } else {
      batch.results.push({ item, error: outcome.reason });
      batch.failures.push({ item, error: outcome.reason });
    }
  }
  if (opts.record !== false) await assessor.record(batch.assessments);
  return batch;
}
