// The evaluation gate: does a newly landed version become current? A pure decision on two
// numbers, so every branch is testable without files.
//
// Which numbers: the candidate's `metrics.after[metric]` (the trained model on the run's held-out
// split) against the current version's value for the same metric. The current version's stored
// `metrics.after` was measured on the held-out split of an OLDER snapshot, so when the trainer
// also evaluated the current model on the new split (`metrics.baseline_current[metric]`, with the
// candidate's `parent` being the version still current), ModelRegistry.evaluate uses that number
// instead: same data, fair comparison. See ModelRegistry.evaluate.

export type GateMode = 'min' | 'max';

export interface DecideInput {
  /** The metric's name, for the reason ("eval_loss"). */
  metric?: string;
  /** The new version's value; undefined (or not a finite number) when the metric is missing. */
  candidate: number | undefined;
  /** The current version's value; undefined when there is no current version or it lacks the metric. */
  current: number | undefined;
  /**
   * The current version's name ("v1"); null: there is no current version (first version).
   * Left out: "first version" when `current` is undefined too.
   */
  currentVersion?: string | null;
  /** min: lower is better (losses); max: higher is better (ROUGE, accuracy). */
  mode: GateMode;
  /** How much better the candidate must be; 0 means "no worse than". Must be >= 0. */
  margin: number;
  /** The current value was measured on the candidate's held-out set (said in the reason). */
  sameHeldOut?: boolean;
}

export interface GateDecision {
  promote: boolean;
  reason: string;
}

const KEPT = ': kept as a candidate';

export function decide(input: DecideInput): GateDecision {
  const { mode, margin, current, currentVersion } = input;
  const metric = input.metric ?? 'the gate metric';
  if (!(margin >= 0) || !Number.isFinite(margin)) throw new RangeError(`gate margin must be a number >= 0, got ${margin}`);
  if (mode !== 'min' && mode !== 'max') throw new RangeError(`gate mode must be min or max, got ${String(mode)}`);

  const hasCurrent = currentVersion !== null && (currentVersion !== undefined || current !== undefined);
  if (!hasCurrent) return { promote: true, reason: 'first version' };

  const candidate = input.candidate;
  if (candidate === undefined || candidate === null) {
    return { promote: false, reason: `metric ${metric} missing from the new version's metrics${KEPT}` };
  }
  if (typeof candidate !== 'number' || !Number.isFinite(candidate)) {
    return { promote: false, reason: `metric ${metric} is ${String(candidate)} in the new version's metrics, not a finite number${KEPT}` };
  }
  const owner = currentVersion ? `${currentVersion}'s` : "the current version's";
  if (current === undefined || current === null || typeof current !== 'number' || !Number.isFinite(current)) {
    // Nothing to compare with (the gate metric was changed, or the current version predates it).
    // Keeping every new version out forever would need a manual promote each time; the new
    // version at least has the number, and a rollback is one command away.
    const who = currentVersion ? currentVersion : 'the current version';
    return { promote: true, reason: `${who} has no ${metric} to compare with: promoted on ${metric} ${formatOne(candidate)}` };
  }

  const [shownCandidate, shownCurrent] = formatPair(candidate, current);
  const where = input.sameHeldOut ? ' on the same held-out set' : '';
  const vs = `${owner} ${shownCurrent}${where} (margin ${formatOne(margin, true)})`;
  // Better by how much (positive: the candidate is better), with a little slack for rounding:
  // 1.9 - 0.1 is 1.7999999999999998 in floating point.
  const gain = mode === 'min' ? current - candidate : candidate - current;
  const eps = 1e-9 * Math.max(1, Math.abs(current), Math.abs(candidate));
  const noWorse = gain >= -eps;
  const promote = gain >= margin - eps;

  if (promote) {
    return margin === 0
      ? { promote, reason: `${metric} ${shownCandidate} is no worse than ${vs}` }
      : { promote, reason: `${metric} ${shownCandidate} is at least ${formatOne(margin, true)} better than ${vs}` };
  }
  return noWorse
    ? { promote, reason: `${metric} ${shownCandidate} is less than ${formatOne(margin, true)} better than ${vs}${KEPT}` }
    : { promote, reason: `${metric} ${shownCandidate} is worse than ${vs}${KEPT}` };
}

/** A metric value alone: two decimals, or three significant digits for tiny values. */
export function formatOne(value: number, exact = false): string {
  if (exact) return String(value);
  if (value === 0 || Math.abs(value) >= 0.01) return value.toFixed(2);
  return value.toPrecision(3);
}

/**
 * Two values with the same number of decimals, as few as still tell them apart:
 * (1.82, 1.9) → "1.82", "1.90"; (1.8231, 1.8234) → "1.8231", "1.8234".
 */
export function formatPair(a: number, b: number): [string, string] {
  if (a === b) return [formatOne(a), formatOne(b)];
  for (let digits = 2; digits <= 12; digits++) {
    const x = a.toFixed(digits);
    const y = b.toFixed(digits);
    if (x !== y) return [x, y];
  }
  return [String(a), String(b)];
}
