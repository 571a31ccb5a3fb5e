// Fits a workspace calibration from people's labels: per criterion, an isotonic map from the
// judge's raw score to the share of samples with that score people find good on that criterion.
// People label whole samples, so the per-criterion labels are inferred: an accepted sample is good
// on every criterion; a rejected one is bad on at least one, and the rejection is blamed on the
// criterion whose score is least typical of accepted samples (lowest percentile among them).
// Fitting every criterion on overall acceptance instead would cap each at the base rate of the
// others' failures, and no sample would clear an average gate or a floor.
// A criterion whose raw score does not rank its labels better than chance keeps the curve in use.
import type { Calibration } from '../calibration/Calibration';
import { fitIsotonic, type Curve } from '../calibration/isotonic';
import type { TaskType } from '../types';
import { spearman } from './stats';

export interface RawLabel {
  /** The judge's raw (uncalibrated) per-criterion scores. */
  raw: Readonly<Record<string, number>>;
  human: number;
}

export interface CriterionFit {
  name: string;
  /** True when this fit gave the criterion a new curve. */
  fitted: boolean;
  /** Rank agreement of the raw score with the labels. */
  spearman: number | null;
  /** Why it was or was not fitted, for people. */
  note: string;
}

export interface FitResult {
  calibration: Calibration;
  criteria: CriterionFit[];
}

export interface FitMeta {
  /** The raw judge version the scores came from. */
  judge: string;
  task: TaskType;
  /** Where the labels came from, e.g. "42 overrides" or "labels.jsonl". */
  on: string;
  at: string;
}

/**
 * About two standard errors of a rank correlation on n points: below it, the agreement seen could
 * be chance, so fitting would fit noise.
 */
export function minimumAgreement(n: number): number {
  return 2 / Math.sqrt(Math.max(1, n - 1));
}

export function fitCalibration(labels: readonly RawLabel[], meta: FitMeta, inUse?: Calibration): FitResult {
  const names = [...new Set(labels.flatMap((l) => Object.keys(l.raw)))].sort();
  const perCriterion = criterionLabels(labels, names);
  const criteria: Record<string, Curve> = {};
  const fits: CriterionFit[] = [];
  // A curve of the calibration in use stays where these labels say nothing better about it.
  const keep = inUse && inUse.judge === meta.judge && inUse.task === meta.task ? inUse.criteria : {};
  for (const name of names) {
    const points = perCriterion.get(name) ?? [];
    const blamed = points.filter((p) => p.label === 0).length;
    // Agreement with the whole-sample labels: the inferred ones would flatter it (blame follows the scores).
    const judged = labels.filter((l) => l.raw[name] !== undefined);
    const rho = spearman(
      judged.map((l) => l.raw[name]),
      judged.map((l) => (l.human >= 1 ? 1 : 0)),
    );
    const need = minimumAgreement(judged.length);
    const kept = keep[name] ? ' (keeps its current curve)' : ' (left as the judge scores it)';
    if (!Number.isFinite(rho) || rho < need || blamed === 0) {
      if (keep[name]) criteria[name] = keep[name];
      const seen = Number.isFinite(rho) ? `Spearman ${rho.toFixed(2)}` : 'a constant score';
      const why = blamed === 0 ? 'no rejection is blamed on it' : `${seen} with your labels is within chance (needs ${need.toFixed(2)} on ${judged.length} labels)`;
      fits.push({ name, fitted: false, spearman: Number.isFinite(rho) ? rho : null, note: `${why}${kept}` });
      continue;
    }
    const curve = fitIsotonic(points);
    if (new Set(curve.y).size < 2) {
      if (keep[name]) criteria[name] = keep[name];
      fits.push({ name, fitted: false, spearman: rho, note: `the fitted map is flat: too few labels to tell its scores apart${kept}` });
      continue;
    }
    criteria[name] = curve;
    fits.push({ name, fitted: true, spearman: rho, note: `fitted: ${curve.x.length} steps from ${curve.y[0].toFixed(2)} to ${curve.y[curve.y.length - 1].toFixed(2)} (${blamed} rejection${blamed === 1 ? '' : 's'} blamed on it)` });
  }
  return {
    calibration: { format: 1, judge: meta.judge, task: meta.task, fitted: { on: meta.on, labels: labels.length, at: meta.at }, criteria },
    criteria: fits,
  };
}

/** Per criterion: every accepted sample as good (1), each rejected one as bad (0) on the criteria it is blamed on. */
export function criterionLabels(labels: readonly RawLabel[], names: readonly string[]): Map<string, { score: number; label: number }[]> {
  const accepted = labels.filter((l) => l.human >= 1);
  const sorted = new Map(names.map((n) => [n, accepted.map((l) => l.raw[n]).filter((v) => v !== undefined).sort((a, b) => a - b)]));
  const out = new Map(names.map((n) => [n, [] as { score: number; label: number }[]]));
  for (const l of labels) {
    const scored = names.filter((n) => l.raw[n] !== undefined);
    if (l.human >= 1) {
      for (const n of scored) out.get(n)!.push({ score: l.raw[n], label: 1 });
      continue;
    }
    const pct = new Map(scored.map((n) => [n, percentile(sorted.get(n)!, l.raw[n])]));
    const lowest = Math.min(...pct.values());
    for (const n of scored) if (pct.get(n)! <= lowest + 1e-9) out.get(n)!.push({ score: l.raw[n], label: 0 });
  }
  return out;
}

/** Share of `sorted` below `x`, ties counting half: where x falls among accepted samples' scores. */
function percentile(sorted: readonly number[], x: number): number {
  if (sorted.length === 0) return 0;
  let below = 0;
  let equal = 0;
  for (const v of sorted) {
    if (v < x) below++;
    else if (v === x) equal++;
  }
  return (below + equal / 2) / sorted.length;
}
