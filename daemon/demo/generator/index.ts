// Seeded, reproducible (input, output) summarization samples for the demo, the end-to-end tests
// and the benchmarks: a news-like article as input and, as output, either a faithful summary
// ('good') or one broken in a single, labelled way (see FLAW_KINDS).
import { generateArticle } from './articles';
import { DEFAULT_FLAW_KINDS, FLAW_KINDS, type FlawKind, makeFlawed } from './flaws';
import { Rng } from './rng';

export { DEFAULT_FLAW_KINDS, FLAW_KINDS, type FlawKind } from './flaws';
export { TOPIC_NAMES, generateArticle, type Article } from './articles';
export { Rng } from './rng';

export type SampleKind = 'good' | FlawKind;

export interface GeneratedSample {
  /** The article. */
  input: string;
  /** Its summary: faithful when kind is 'good', otherwise flawed in the named way. */
  output: string;
  kind: SampleKind;
  /** The article's topic, one of TOPIC_NAMES. */
  topic: string;
}

export interface GenerateOptions {
  /** Same seed, same options: the same samples in the same order. */
  seed: number | string;
  count: number;
  /** Share of flawed samples, 0..1 (default 0.3); exactly round(count * share) are flawed. */
  flawedShare?: number;
  /**
   * Which flaws to use, dealt out evenly in shuffled rounds. Default DEFAULT_FLAW_KINDS: all of
   * FLAW_KINDS except 'ungrammatical', which the embedded heuristic judge does not catch.
   */
  flawKinds?: readonly FlawKind[];
}

/**
 * `count` samples. The result can be iterated more than once and yields the same sequence each
 * time. Sample i's article depends only on the seed and i, so changing flawedShare changes which
 * samples are flawed but not the articles themselves.
 */
export function generateSamples(options: GenerateOptions): Iterable<GeneratedSample> {
  const { seed, count, flawedShare = 0.3, flawKinds = DEFAULT_FLAW_KINDS } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`generateSamples: count must be a non-negative integer, got ${count}`);
  if (!(flawedShare >= 0 && flawedShare <= 1)) throw new RangeError(`generateSamples: flawedShare must be within 0..1, got ${flawedShare}`);
  const flawedTotal = Math.round(count * flawedShare);
  if (flawedTotal > 0 && flawKinds.length === 0) throw new RangeError('generateSamples: flawKinds is empty but flawed samples were requested');
  for (const k of flawKinds) if (!FLAW_KINDS.includes(k)) throw new RangeError(`generateSamples: unknown flaw kind "${String(k)}"`);
  return {
    *[Symbol.iterator]() {
      const plan = new Rng(`${seed}/plan`);
      let flawedSoFar = 0;
      let bag: FlawKind[] = [];
      for (let i = 0; i < count; i++) {
        // Selection sampling: exactly flawedTotal flawed samples, spread at random.
        const flawed = plan.next() * (count - i) < flawedTotal - flawedSoFar;
        let kind: SampleKind = 'good';
        if (flawed) {
          flawedSoFar++;
          if (bag.length === 0) bag = plan.shuffle(flawKinds);
          kind = bag.pop()!;
        }
        const r = new Rng(`${seed}/${i}`);
        const a = generateArticle(r);
        const output = kind === 'good' ? a.summary.join(' ') : makeFlawed(kind, r, a);
        yield { input: a.text, output, kind, topic: a.topic };
      }
    },
  };
}
