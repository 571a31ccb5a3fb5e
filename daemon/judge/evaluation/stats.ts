// Pure statistics for measuring a judge against human labels: rank correlations, linear
// correlation and ROC AUC (used by `finetune judge eval` and by the benchmarks).
// Kept dependency-free; all functions are O(n log n) except Kendall's tau-b, which is O(n^2)
// and fine for benchmark sizes (hundreds to a few thousand pairs).

/** Average ranks (1-based), ties get the mean of the ranks they span. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k][1]] = rank;
    i = j + 1;
  }
  return out;
}

function checkPair(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new Error(`length mismatch: ${x.length} vs ${y.length}`);
}

/** Pearson correlation; NaN when either side is constant or there are fewer than 2 points. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkPair(x, y);
  const n = x.length;
  if (n < 2) return NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rho: Pearson on average ranks (correct with ties). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPair(x, y);
  return pearson(ranks(x), ranks(y));
}

/** Kendall's tau-b, which corrects for ties on either side (the human labels have many). */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPair(x, y);
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const denom = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
  return denom === 0 ? NaN : (concordant - discordant) / denom;
}

/**
 * ROC AUC: probability that a random positive scores above a random negative (ties count half).
 * Computed from the Mann-Whitney U statistic on ranks.
 */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  const np = positives.length;
  const nn = negatives.length;
  if (np === 0 || nn === 0) return NaN;
  const r = ranks([...positives, ...negatives]);
  let rankSum = 0;
  for (let i = 0; i < np; i++) rankSum += r[i];
  return (rankSum - (np * (np + 1)) / 2) / (np * nn);
}
