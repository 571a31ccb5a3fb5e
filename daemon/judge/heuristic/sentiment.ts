// A tiny polarity lexicon: sentiment is the most common classification task, and for it even a
// word list gives real evidence about whether a label fits. Negators within three words flip a
// hit ("not good"). Anything subtler (sarcasm, domain terms) is out of reach and reported so.
import { words } from './tokenize';

const POSITIVE = new Set(
  `good great excellent amazing awesome wonderful fantastic love loved lovely like liked enjoy enjoyed
  best better happy glad pleased delighted perfect nice beautiful brilliant superb recommend
  recommended impressive helpful friendly fast easy fun favorite favourite satisfied outstanding
  pleasant reliable works worked worth comfortable clean thanks thank`.split(/\s+/),
);
const NEGATIVE = new Set(
  `bad terrible awful horrible poor worst worse hate hated dislike disappointing disappointed
  disappointment broken useless waste slow boring annoying angry sad unhappy rude dirty cheap
  fail failed fails failure problem problems issue issues refund return returned never wrong
  difficult hard painful ugly mediocre overpriced unreliable crash crashed crashes bug buggy`.split(/\s+/),
);
// "t" is what the tokenizer leaves of n't ("don't" -> "don" + "t"), so it covers every contraction.
const NEGATORS = new Set(['not', 'no', 'never', 'cannot', 'hardly', 'nothing', 't']);
const NEGATION_REACH = 3;

export interface Polarity {
  positive: number;
  negative: number;
}

export function polarity(text: string): Polarity {
  const w = words(text);
  let positive = 0;
  let negative = 0;
  for (let i = 0; i < w.length; i++) {
    const pos = POSITIVE.has(w[i]);
    const neg = NEGATIVE.has(w[i]);
    if (!pos && !neg) continue;
    let negated = false;
    for (let j = Math.max(0, i - NEGATION_REACH); j < i; j++) if (NEGATORS.has(w[j])) negated = true;
    if (pos !== negated) positive++;
    else negative++;
  }
  return { positive, negative };
}

const LABEL_POLARITY: ReadonlyMap<string, 'positive' | 'negative' | 'neutral'> = new Map([
  ['positive', 'positive'], ['pos', 'positive'], ['good', 'positive'], ['happy', 'positive'], ['favorable', 'positive'],
  ['negative', 'negative'], ['neg', 'negative'], ['bad', 'negative'], ['unhappy', 'negative'], ['unfavorable', 'negative'],
  ['neutral', 'neutral'], ['mixed', 'neutral'],
]);

/** The sentiment a label names, if it is a sentiment label at all. */
export function labelPolarity(label: string): 'positive' | 'negative' | 'neutral' | undefined {
  return LABEL_POLARITY.get(label.toLowerCase());
}
