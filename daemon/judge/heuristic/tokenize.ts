// Word and sentence splitting shared by every heuristic signal. Both sides of a comparison
// (source and output) must go through the same functions, otherwise overlap measures drift.

export interface Token {
  /** The word as written (for rationales that quote it). */
  raw: string;
  /** Lower-cased, NFKC-normalised form used for matching. */
  norm: string;
  /** Starts with an upper-case letter in the original text. */
  capitalized: boolean;
  /** First word of its sentence (capitalisation there says nothing about names). */
  sentenceInitial: boolean;
}

// Letters, combining marks and digits; everything else (punctuation, quotes, dashes) separates
// words. Apostrophes split "miliband's" into "miliband" + "s", the same on both sides. Chinese and
// Japanese are written without spaces, so each of their characters is a word of its own; overlap
// then works on characters, which is how such text is usually compared.
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
// A letter that is not CJK ([^\P{L}...] = "not a non-letter and not CJK"), a mark or a digit.
const WORD_CHAR = `(?:[^\\P{L}${CJK}]|[\\p{M}\\p{N}])`;
const WORD = new RegExp(`[${CJK}]|${WORD_CHAR}+`, 'gu');
const UPPER = /^\p{Lu}/u;
// Sentence end: . ! ? (optionally followed by closing quotes/brackets) and then whitespace, or
// a full-width 。！？ which needs no space after it.
const SENTENCE_END = /([.!?]+["'’”)\]]*\s+|[。！？]+["'’”」』)\]]*\s*)/gu;
// A period after a title or an initial does not end the sentence: "Dr. Tamm", "J. K. Rowling",
// "U.S. officials". Splitting there would hide the name that follows from the name check.
const ABBREVIATION = /(?:^|[\s("'.])(?:mr|mrs|ms|dr|prof|st|gen|sen|rep|gov|lt|col|capt|jr|sr|inc|ltd|vs|\p{L})$/iu;

export function normalize(text: string): string {
  return text.normalize('NFKC');
}

/** Splits text into sentences; a text with no terminal punctuation is one sentence. */
export function splitSentences(text: string): string[] {
  const clean = normalize(text).replace(/\s+/g, ' ').trim();
  if (clean === '') return [];
  const out: string[] = [];
  let last = 0;
  for (const m of clean.matchAll(SENTENCE_END)) {
    const at = m.index ?? 0;
    if (m[1].startsWith('.') && m[1].trimEnd() === '.' && ABBREVIATION.test(clean.slice(Math.max(last, at - 6), at))) continue;
    const end = at + m[1].trimEnd().length;
    const piece = clean.slice(last, end).trim();
    if (piece) out.push(piece);
    last = end;
  }
  const tail = clean.slice(last).trim();
  if (tail) out.push(tail);
  return out;
}

/** Tokens of one sentence; the first token is marked sentence-initial. */
export function tokenizeSentence(sentence: string): Token[] {
  const out: Token[] = [];
  for (const m of normalize(sentence).matchAll(WORD)) {
    out.push({ raw: m[0], norm: m[0].toLowerCase(), capitalized: UPPER.test(m[0]), sentenceInitial: out.length === 0 });
  }
  return out;
}

/** Tokens of a whole text, sentence by sentence (so sentence-initial flags are right). */
export function tokenizeSentences(text: string): Token[][] {
  return splitSentences(text).map(tokenizeSentence).filter((s) => s.length > 0);
}

/** Lower-cased word forms of a text, for overlap counting. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of normalize(text).matchAll(WORD)) out.push(m[0].toLowerCase());
  return out;
}
