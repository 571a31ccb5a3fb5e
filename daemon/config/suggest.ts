// "Did you mean" suggestions for misspelt keys and values.

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), so
 * "treshold" -> "threshold" is 1 and "thersold" -> "threshold" is 2.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // d[i][j] = distance between a[0..i) and b[0..j)
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push(new Array<number>(b.length + 1).fill(0));
    d[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2][j - 2] + 1);
      }
      d[i][j] = best;
    }
  }
  return d[a.length][b.length];
}

/** Lower-case, without `_`, `-` and spaces: "baseModel", "base-model" and "base_model" all match. */
function normalise(s: string): string {
  return s.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate closest to `input`, or undefined when none is close enough. Close means: equal
 * once case and separators are ignored; an edit distance of at most 2 (at most 1 when either
 * word is shorter than 6 characters, so "base" does not suggest "task"); or one is a prefix of
 * the other with at least 3 characters in common. `strict`: no prefixes, and a distance of 1 at most.
 */
export function closest(input: string, candidates: readonly string[], options: { strict?: boolean } = {}): string | undefined {
  const wanted = normalise(input);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (candidate === input) return candidate;
    const norm = normalise(candidate);
    let score: number;
    if (norm === wanted) {
      score = 0;
    } else {
      const distance = Math.min(editDistance(input.toLowerCase(), candidate.toLowerCase()), editDistance(wanted, norm));
      const limit = Math.min(input.length, candidate.length) >= 6 && !options.strict ? 2 : 1;
      if (distance <= limit) {
        score = distance;
      } else if (!options.strict && wanted.length >= 3 && norm.length >= 3 && (norm.startsWith(wanted) || wanted.startsWith(norm))) {
        score = 3;
      } else {
        continue;
      }
    }
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}
