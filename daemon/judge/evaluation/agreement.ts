// How well a judge agrees with people, as a filter: rank agreement of the score that gates
// samples, ROC AUC, precision and recall of the gate in use, the gate that would reach a chosen
// precision, and a score-bucket table (a reliability diagram's data). Pure: scores in, figures out.
import { applyGate, type GateSettings } from '../gate';
import { kendallTauB, rocAuc, spearman } from './stats';

export interface ScoredLabel {
  /** The judge's per-criterion scores (calibrated as configured). */
  scores: Readonly<Record<string, number>>;
  /** The share of the output people accept, 0..1; exactly 1 counts as accepted. */
  human: number;
}

export interface Bucket {
  from: number;
  to: number;
  n: number;
  /** Share of the bucket's labels people accepted (null when empty). */
  accepted: number | null;
}

export interface GateForPrecision {
  target: number;
  /** The lowest judge.min_average (two decimals) whose kept samples reach the target; null when none does. */
  minAverage: number | null;
  precision: number | null;
  recall: number | null;
  kept: number;
}

export interface Agreement {
  labels: number;
  /** Labels people accepted (human == 1). */
  accepted: number;
  /** Share of labels people accepted: the precision of keeping everything. */
  base: number;
  /** Of the score that gates (the average) against `human`; null where undefined (a constant side). */
  spearman: number | null;
  kendall: number | null;
  /** Accepted (human == 1) against the rest; null when one side is empty. */
  auc: number | null;
  /** Samples the gate in use keeps. */
  kept: number;
  /** Of the kept, the share people accepted; null when the gate keeps none. */
  precision: number | null;
  /** Of those people accepted, the share the gate keeps; null when people accepted none. */
  recall: number | null;
  criteria: Record<string, { spearman: number | null; auc: number | null }>;
  gateForPrecision: GateForPrecision;
  /** Ten buckets of the gating score, 0–0.1 … 0.9–1. */
  buckets: Bucket[];
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
const isAccepted = (human: number): boolean => human >= 1;

export function measureAgreement(items: readonly ScoredLabel[], gate: GateSettings, targetPrecision: number): Agreement {
  const human = items.map((i) => i.human);
  const decisions = items.map((i) => applyGate(i.scores, gate));
  const average = decisions.map((d) => d.average);
  const accepted = items.filter((i) => isAccepted(i.human)).length;
  const kept = decisions.filter((d) => d.verdict === 'accepted').length;
  const keptAccepted = items.filter((i, k) => decisions[k].verdict === 'accepted' && isAccepted(i.human)).length;
  return {
    labels: items.length,
    accepted,
    base: items.length ? accepted / items.length : 0,
    spearman: finite(spearman(average, human)),
    kendall: finite(kendallTauB(average, human)),
    auc: aucOf(average, human),
    kept,
    precision: kept ? keptAccepted / kept : null,
    recall: accepted ? keptAccepted / accepted : null,
    criteria: perCriterion(items),
    gateForPrecision: gateForPrecision(items, gate, targetPrecision),
    buckets: buckets(average, human),
  };
}

function aucOf(score: readonly number[], human: readonly number[]): number | null {
  const pos = score.filter((_, i) => isAccepted(human[i]));
  const neg = score.filter((_, i) => !isAccepted(human[i]));
  return finite(rocAuc(pos, neg));
}

function perCriterion(items: readonly ScoredLabel[]): Agreement['criteria'] {
  const names = [...new Set(items.flatMap((i) => Object.keys(i.scores)))].sort();
  const out: Agreement['criteria'] = {};
  for (const name of names) {
    const scored = items.filter((i) => i.scores[name] !== undefined);
    const s = scored.map((i) => i.scores[name]);
    const h = scored.map((i) => i.human);
    out[name] = { spearman: finite(spearman(s, h)), auc: aucOf(s, h) };
  }
  return out;
}

/**
 * The floors stay as configured and min_average moves in steps of 0.01 (what a person writes in
 * models.yml); the lowest one that reaches the target keeps the most samples at that precision.
 */
function gateForPrecision(items: readonly ScoredLabel[], gate: GateSettings, target: number): GateForPrecision {
  const accepted = items.filter((i) => isAccepted(i.human)).length;
  const passFloors = items.map((i) => applyGate(i.scores, { ...gate, minAverage: -1 }));
  for (let step = 0; step < 100; step++) {
    const minAverage = step / 100;
    let kept = 0;
    let good = 0;
    passFloors.forEach((d, k) => {
      if (d.verdict === 'accepted' && d.average > minAverage) {
        kept++;
        if (isAccepted(items[k].human)) good++;
      }
    });
    if (kept > 0 && good / kept >= target) return { target, minAverage, precision: good / kept, recall: accepted ? good / accepted : null, kept };
  }
  return { target, minAverage: null, precision: null, recall: null, kept: 0 };
}

function buckets(score: readonly number[], human: readonly number[]): Bucket[] {
  const out: Bucket[] = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, n: 0, accepted: 0 }));
  score.forEach((s, k) => {
    const b = out[Math.min(9, Math.max(0, Math.floor(s * 10)))];
    b.n++;
    if (isAccepted(human[k])) b.accepted! += 1;
  });
  for (const b of out) b.accepted = b.n ? b.accepted! / b.n : null;
  return out;
}
