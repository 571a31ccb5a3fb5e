// Isotonic calibration: a non-decreasing map from a judge's raw score to the share of samples
// with that score that people accept. Fitted with pool-adjacent-violators, then read as a
// piecewise-linear curve through the pooled blocks so that nearby raw scores stay apart.

/** Knots of a non-decreasing curve on 0..1: x ascending, y non-decreasing. */
export interface Curve {
  x: number[];
  y: number[];
}

export interface LabelledScore {
  score: number;
  /** The human label, 0..1 (1 = accepted). */
  label: number;
}

export interface FitOptions {
  /**
   * Fewest samples a knot may stand for. Small blocks at the ends are where PAV overfits: a
   * single lucky sample at a low raw score would otherwise claim a high calibrated score.
   */
  minBlock?: number;
  /**
   * Pseudo-counts at the base rate added to every block (additive smoothing), so a block of
   * ten all-accepted samples reads as 0.9x rather than a certain 1.
   */
  prior?: number;
}

interface Block {
  sumX: number;
  sumY: number;
  n: number;
}

const mean = (b: Block): number => b.sumY / b.n;

/** Fits the curve; throws when there are fewer than two distinct labels' worth of data. */
export function fitIsotonic(points: readonly LabelledScore[], opts: FitOptions = {}): Curve {
  const minBlock = opts.minBlock ?? 10;
  const prior = opts.prior ?? 2;
  const sorted = points.filter((p) => Number.isFinite(p.score) && Number.isFinite(p.label)).sort((a, b) => a.score - b.score);
  if (sorted.length === 0) throw new Error('cannot fit a calibration on no labelled samples');
  const base = sorted.reduce((s, p) => s + p.label, 0) / sorted.length;

  // Ties share one block so equal raw scores always get equal calibrated scores.
  const blocks: Block[] = [];
  for (const p of sorted) {
    const last = blocks[blocks.length - 1];
    if (last && last.sumX / last.n === p.score) {
      last.sumX += p.score;
      last.sumY += p.label;
      last.n++;
    } else blocks.push({ sumX: p.score, sumY: p.label, n: 1 });
  }
  const pooled: Block[] = [];
  for (const b of blocks) {
    pooled.push({ ...b });
    // Pool while the order is violated or the newest block is still too small to stand alone.
    while (pooled.length > 1) {
      const cur = pooled[pooled.length - 1];
      const prev = pooled[pooled.length - 2];
      if (mean(prev) < mean(cur) && prev.n >= minBlock) break;
      pooled.pop();
      prev.sumX += cur.sumX;
      prev.sumY += cur.sumY;
      prev.n += cur.n;
    }
  }
  // The last block may be small: fold it into its neighbour and re-establish the order.
  while (pooled.length > 1 && (pooled[pooled.length - 1].n < minBlock || mean(pooled[pooled.length - 2]) >= mean(pooled[pooled.length - 1]))) {
    const cur = pooled.pop()!;
    const prev = pooled[pooled.length - 1];
    prev.sumX += cur.sumX;
    prev.sumY += cur.sumY;
    prev.n += cur.n;
  }
  const x = pooled.map((b) => round(b.sumX / b.n));
  const y = pooled.map((b) => round((b.sumY + prior * base) / (b.n + prior)));
  return { x, y };
}

/** The calibrated score: linear between knots, flat beyond the first and last. */
export function applyCurve(curve: Curve, score: number): number {
  const { x, y } = curve;
  if (!Number.isFinite(score) || x.length === 0) return 0;
  if (score <= x[0]) return y[0];
  const last = x.length - 1;
  if (score >= x[last]) return y[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= score) lo = mid;
    else hi = mid;
  }
  const t = (score - x[lo]) / (x[hi] - x[lo]);
  return y[lo] + t * (y[hi] - y[lo]);
}

/** Six decimals keep the data files readable and their hashes stable across platforms. */
function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
