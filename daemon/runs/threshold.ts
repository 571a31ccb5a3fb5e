// The threshold rule, in one place: count high-quality samples that no landed model version
// has used yet; remaining = max(0, threshold - count).
import { effectiveVerdict, type SampleState } from '../assess/effectiveVerdict';

export interface ThresholdCount<K = string> {
  collected: number;
  remaining: number;
  /** Every high-quality sample in the dataset: what a run trains on. */
  trainable: K[];
  /** The high-quality samples not yet used by a landed version: what the threshold counts. */
  fresh: K[];
}

/** Over the dataset's lines, each named by a key: its sample id, or its slot (ThresholdTally). */
export function countTowardsThreshold<K = string>(datasetIds: Iterable<K>, stateOf: (id: K) => SampleState, used: { has(id: K): boolean }, threshold: number): ThresholdCount<K> {
  const trainable: K[] = [];
  const fresh: K[] = [];
  for (const id of datasetIds) {
    if (effectiveVerdict(stateOf(id)) !== 'accepted') continue;
    trainable.push(id);
    if (!used.has(id)) fresh.push(id);
  }
  return { collected: fresh.length, remaining: Math.max(0, threshold - fresh.length), trainable, fresh };
}

/**
 * Never an automatic run twice on the same samples: after one failed or was cancelled (`had`: the
 * samples it had), the next needs `threshold` fresh samples it did not have.
 */
export function enoughNewSince(fresh: readonly string[], had: ReadonlySet<string> | undefined, threshold: number): boolean {
  if (!had) return true;
  return fresh.filter((id) => !had.has(id)).length >= threshold;
}
