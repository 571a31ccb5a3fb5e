// One pass over a text that every scorer shares: sentences, tokens, stemmed content words, and
// for the source side the lookup sets the scorers query. Built once per judged sample.
import { isContentWord } from './lexicon';
import { addNgrams, ngramSet } from './ngrams';
import { extractNumbers } from './numbers';
import { stem } from './stem';
import { splitSentences, tokenizeSentence, type Token } from './tokenize';

export interface Profile {
  sentences: string[];
  /** Tokens per sentence (same order as `sentences`; sentences without words are dropped). */
  tokens: Token[][];
  /** All lower-cased words in order. */
  words: string[];
  /** Stemmed content words per sentence. */
  content: string[][];
}

export function profile(text: string): Profile {
  const sentences: string[] = [];
  const tokens: Token[][] = [];
  for (const s of splitSentences(text)) {
    const t = tokenizeSentence(s);
    if (t.length === 0) continue;
    sentences.push(s);
    tokens.push(t);
  }
  const words = tokens.flat().map((t) => t.norm);
  const content = tokens.map((ts) => ts.filter((t) => isContentWord(t.norm)).map((t) => stem(t.norm)));
  return { sentences, tokens, words, content };
}

/** Everything a summary is checked against, as sets so each lookup is O(1). */
export interface SourceIndex {
  profile: Profile;
  words: Set<string>;
  stems: Set<string>;
  /** Surface trigrams over the whole text (the classic extractive-overlap signal). */
  trigrams: Set<string>;
  /** Stemmed content-word bigrams/trigrams within a sentence: who-did-what links the source states. */
  contentBigrams: Set<string>;
  contentTrigrams: Set<string>;
  numbers: Set<string>;
  /** Stemmed content word -> occurrences, for salience. */
  contentFreq: Map<string, number>;
  /** Stemmed content words of the opening sentences, where news puts the key facts. */
  leadContent: Set<string>;
  /** Stemmed content word -> indices of the source sentences containing it, ascending. */
  postings: Map<string, number[]>;
  /** Word prefixes (5-8 letters), so "American" in an output finds "America" in the source. */
  prefixes: Set<string>;
}

export const LEAD_SENTENCES = 3;

export function indexSource(text: string): SourceIndex {
  const p = profile(text);
  const contentBigrams = new Set<string>();
  const contentTrigrams = new Set<string>();
  const contentFreq = new Map<string, number>();
  const postings = new Map<string, number[]>();
  p.content.forEach((c, i) => {
    addNgrams(contentBigrams, c, 2);
    addNgrams(contentTrigrams, c, 3);
    for (const w of c) {
      contentFreq.set(w, (contentFreq.get(w) ?? 0) + 1);
      const list = postings.get(w);
      if (!list) postings.set(w, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  });
  const words = new Set(p.words);
  return {
    profile: p,
    words,
    stems: new Set(p.words.map(stem)),
    trigrams: ngramSet(p.words, 3),
    contentBigrams,
    contentTrigrams,
    numbers: new Set(extractNumbers(text)),
    contentFreq,
    leadContent: new Set(p.content.slice(0, LEAD_SENTENCES).flat()),
    postings,
    prefixes: prefixSet(words),
  };
}

export const MIN_PREFIX = 5;
const MAX_PREFIX = 8;

function prefixSet(words: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const w of words) for (let n = MIN_PREFIX; n <= Math.min(MAX_PREFIX, w.length); n++) out.add(w.slice(0, n));
  return out;
}

/**
 * The prefix of an output word to look up: all but its last three letters, at least MIN_PREFIX
 * and at most MAX_PREFIX, so inflections and demonyms match but "Manchester" does not match
 * "Manchuria". Undefined for words too short to match on a prefix.
 */
export function lookupPrefix(word: string): string | undefined {
  if (word.length <= MIN_PREFIX) return undefined;
  return word.slice(0, Math.min(MAX_PREFIX, Math.max(MIN_PREFIX, word.length - 3)));
}
