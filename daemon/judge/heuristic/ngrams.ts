// N-gram sets and precision. Sets make every lookup O(1), so scoring is linear in the length of
// source plus output even for long articles.

const SEP = ' '; // tokens never contain spaces, so a space-joined key is unambiguous

export function addNgrams(into: Set<string>, tokens: readonly string[], n: number): void {
  for (let i = 0; i + n <= tokens.length; i++) into.add(key(tokens, i, n));
}

export function ngramSet(tokens: readonly string[], n: number): Set<string> {
  const out = new Set<string>();
  addNgrams(out, tokens, n);
  return out;
}

function key(tokens: readonly string[], start: number, n: number): string {
  return n === 1 ? tokens[start] : tokens.slice(start, start + n).join(SEP);
}

/** How many of the output's n-grams occur in the reference set, and out of how many. */
export interface Overlap {
  found: number;
  total: number;
}

export function overlap(tokens: readonly string[], reference: ReadonlySet<string>, n: number): Overlap {
  let found = 0;
  let total = 0;
  for (let i = 0; i + n <= tokens.length; i++) {
    total++;
    if (reference.has(key(tokens, i, n))) found++;
  }
  return { found, total };
}

/** Sums overlaps (e.g. one per sentence) so the ratio is over all n-grams, not a mean of ratios. */
export function sumOverlaps(parts: readonly Overlap[]): Overlap {
  return parts.reduce((a, b) => ({ found: a.found + b.found, total: a.total + b.total }), { found: 0, total: 0 });
}

/** found/total, or `whenEmpty` when there was nothing to compare. */
export function ratio(o: Overlap, whenEmpty: number): number {
  return o.total === 0 ? whenEmpty : o.found / o.total;
}

/** The n-grams of `tokens` that repeat an earlier n-gram of the same tokens. */
export function repeatedNgrams(tokens: readonly string[], n: number): Overlap {
  const seen = new Set<string>();
  let repeated = 0;
  let total = 0;
  for (let i = 0; i + n <= tokens.length; i++) {
    const k = key(tokens, i, n);
    total++;
    if (seen.has(k)) repeated++;
    else seen.add(k);
  }
  return { found: repeated, total };
}
