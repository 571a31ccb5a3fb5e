// The gate: which judged samples are kept for training. The seed's rule (the average of the
// criteria above judge.min_average) plus per-criterion floors, so fluent, relevant text cannot
// carry an unfaithful summary over the line. The verdict names the rule that rejected a sample.
import { averageScore } from './criteria';

export interface GateSettings {
  minAverage: number;
  /** Criterion -> the lowest score it may have; criteria the sample was not scored on are ignored. */
  floors: Readonly<Record<string, number>>;
}

export interface GateDecision {
  average: number;
  verdict: 'accepted' | 'rejected';
  /** Why a rejected sample was rejected, e.g. "consistency 0.41 < 0.8"; absent when accepted. */
  rejectedBy?: string;
}

const two = (x: number): string => (Math.floor(x * 100) / 100).toFixed(2);

export function applyGate(scores: Readonly<Record<string, number>>, settings: GateSettings): GateDecision {
  const average = averageScore(scores);
  // A floor is the more specific reason, so it is reported first; the furthest below leads.
  const below = Object.entries(settings.floors)
    .filter(([name, floor]) => scores[name] !== undefined && scores[name] < floor)
    .sort((a, b) => scores[a[0]] - a[1] - (scores[b[0]] - b[1]));
  if (below.length > 0) {
    const [name, floor] = below[0];
    return { average, verdict: 'rejected', rejectedBy: `${name} ${two(scores[name])} < ${floor}` };
  }
  if (!(average > settings.minAverage)) {
    return { average, verdict: 'rejected', rejectedBy: `average ${two(average)} ≤ ${settings.minAverage}` };
  }
  return { average, verdict: 'accepted' };
}

/** applyGate's verdict alone, building no reason. */
export function gateVerdict(scores: Readonly<Record<string, number>>, settings: GateSettings): 'accepted' | 'rejected' {
  return gateVerdictOf(Object.keys(scores), Object.values(scores), 0, settings);
}

/**
 * gateVerdict for scores kept in an array (`names[i]` scored `values[from + i]`), building
 * nothing: for counting over a whole dataset.
 */
export function gateVerdictOf(names: readonly string[], values: ArrayLike<number>, from: number, settings: GateSettings): 'accepted' | 'rejected' {
  let sum = 0;
  for (let i = 0; i < names.length; i++) {
    const score = values[from + i];
    const floor = Object.hasOwn(settings.floors, names[i]) ? settings.floors[names[i]] : undefined;
    if (floor !== undefined && score < floor) return 'rejected';
    sum += score;
  }
  // Same arithmetic (and order) as averageScore, so a sample on the line gets the same verdict both ways.
  return names.length > 0 && sum / names.length > settings.minAverage ? 'accepted' : 'rejected';
}
