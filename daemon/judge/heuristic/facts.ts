// Names and numbers in the output that the source never mentions: the typical invented facts of
// an abstractive summary, which n-gram overlap alone misses (one swapped name barely moves it).
import { isCommonWord } from './commonWords';
import { STOPWORDS } from './lexicon';
import { numberMentions } from './numbers';
import { lookupPrefix, type Profile, type SourceIndex } from './profile';
import { stem } from './stem';
import type { Token } from './tokenize';

/**
 * For judges without a fitted model (Q&A): how likely one unsupported name or number is a real
 * error. Each multiplies a score by (1 - this); a name or figure the context never mentions is
 * rarely anything but invented.
 */
export const INVENTED_FACT_LIKELIHOOD = 0.85;

export interface UnsupportedFact {
  kind: 'name' | 'number';
  /** As written in the output, e.g. "John Smith" or "42". */
  text: string;
}

function isNameToken(t: Token): boolean {
  return t.capitalized && !STOPWORDS.has(t.norm) && !/^\d/.test(t.norm);
}

function known(norm: string, src: SourceIndex): boolean {
  if (src.words.has(norm) || src.stems.has(stem(norm))) return true;
  const prefix = lookupPrefix(norm);
  return prefix !== undefined && src.prefixes.has(prefix);
}

/**
 * Runs of capitalised words (a name like "Gareth Southgate") with at least one word the source
 * never uses. A sentence-initial capital only counts when the next word is capitalised too,
 * since sentence case says nothing about names. Case-insensitive against the source, so
 * lower-cased corpora are judged on their words alone.
 */
function unsupportedNames(sentence: Token[], src: SourceIndex): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < sentence.length) {
    const t = sentence[i];
    const startsName = isNameToken(t) && (!t.sentenceInitial || (i + 1 < sentence.length && isNameToken(sentence[i + 1])));
    if (!startsName) {
      i++;
      continue;
    }
    let j = i;
    while (j < sentence.length && isNameToken(sentence[j])) j++;
    const run = sentence.slice(i, j);
    if (run.some((w) => !known(w.norm, src))) out.push(run.map((w) => w.raw).join(' '));
    i = j;
  }
  return out;
}

/**
 * Words that are in neither the source nor everyday English: names and garbled names that
 * capital letters would not reveal (lower-cased output, as many summarisers produce).
 */
function unknownWords(sentence: Token[], src: SourceIndex): string[] {
  return sentence.filter((t) => t.norm.length >= 3 && /^\p{L}+$/u.test(t.norm) && !known(t.norm, src) && !isCommonWord(t.norm)).map((t) => t.raw);
}

export function unsupportedFacts(output: Profile, src: SourceIndex): UnsupportedFact[] {
  const facts: UnsupportedFact[] = [];
  const seen = new Set<string>();
  const push = (kind: UnsupportedFact['kind'], text: string): void => {
    const k = `${kind}:${text.toLowerCase()}`;
    if (seen.has(k)) return;
    seen.add(k);
    facts.push({ kind, text });
  };
  for (const sentence of output.tokens) {
    const names = unsupportedNames(sentence, src);
    for (const name of names) push('name', name);
    // A word already reported inside a capitalised name is not a second fact.
    const inNames = new Set(names.flatMap((n) => n.toLowerCase().split(' ')));
    for (const w of unknownWords(sentence, src)) if (!inNames.has(w.toLowerCase())) push('name', w);
  }
  for (const s of output.sentences) {
    for (const n of numberMentions(s)) if (!src.numbers.has(n.norm)) push('number', n.raw);
  }
  return facts;
}

/** `"John Smith", "42"` for rationales, capped so the rationale stays one sentence. */
export function describeFacts(facts: readonly UnsupportedFact[], max = 3): string {
  const shown = facts.slice(0, max).map((f) => `"${f.text}"`);
  const more = facts.length > max ? ` and ${facts.length - max} more` : '';
  return shown.join(', ') + more;
}
