// L2-regularised logistic regression by Newton's method, for combining a judge's signals into
// one score on labelled data. Small and exact: a handful of features, a few thousand samples.

export interface LogisticFit {
  /** Weight per feature, on the features' own scale (not standardised). */
  weights: number[];
  bias: number;
}

/**
 * Fits P(label = 1 | x) = sigmoid(bias + weights·x). Features are standardised inside, and the
 * penalty `l2` (1/C in scikit-learn's terms) applies to the standardised weights, so it does not
 * depend on the features' units; the bias is not penalised.
 */
export function fitLogistic(xs: readonly number[][], ys: readonly number[], l2 = 10, iterations = 50): LogisticFit {
  const n = xs.length;
  const d = xs[0]?.length ?? 0;
  if (n === 0 || d === 0) throw new Error('cannot fit a logistic model on no data');
  const mu = Array.from({ length: d }, (_, j) => xs.reduce((s, x) => s + x[j], 0) / n);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(xs.reduce((s, x) => s + (x[j] - mu[j]) ** 2, 0) / n) || 1);
  const z = xs.map((x) => [1, ...x.map((v, j) => (v - mu[j]) / sd[j])]);
  const w = new Array<number>(d + 1).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d + 1).fill(0);
    const hess = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const p = sigmoid(dot(w, z[i]));
      const r = p - ys[i];
      const s = p * (1 - p);
      for (let a = 0; a <= d; a++) {
        grad[a] += r * z[i][a];
        for (let b = 0; b <= d; b++) hess[a][b] += s * z[i][a] * z[i][b];
      }
    }
    for (let a = 1; a <= d; a++) {
      grad[a] += l2 * w[a];
      hess[a][a] += l2;
    }
    const step = solve(hess, grad);
    let moved = 0;
    for (let a = 0; a <= d; a++) {
      w[a] -= step[a];
      moved = Math.max(moved, Math.abs(step[a]));
    }
    if (moved < 1e-10) break;
  }
  const weights = Array.from({ length: d }, (_, j) => w[j + 1] / sd[j]);
  const bias = w[0] - weights.reduce((s, wj, j) => s + wj * mu[j], 0);
  return { weights, bias };
}

export function sigmoid(t: number): number {
  return 1 / (1 + Math.exp(-t));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Gaussian elimination with partial pivoting; the Hessian is small and positive definite. */
function solve(m: number[][], v: number[]): number[] {
  const n = v.length;
  const a = m.map((row, i) => [...row, v[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r][n];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}
