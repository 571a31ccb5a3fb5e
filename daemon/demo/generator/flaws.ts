// Flawed summaries: each takes an article's faithful summary and breaks it the way real model
// outputs go wrong, one flaw at a time, so every flawed sample is labelled with exactly what is
// wrong with it.
import { type Article, generateArticle, TOPIC_NAMES } from './articles';
import { article as indefinite, commas, ordinal } from './context';
import type { Rng } from './rng';
import { FIRST_NAMES, LAST_NAMES, TOWNS, COMPANY_HEADS, COMPANY_TAILS } from './vocab';

export const FLAW_KINDS = ['invented_entity', 'invented_number', 'truncated', 'off_topic', 'repetitive', 'ungrammatical'] as const;
export type FlawKind = (typeof FLAW_KINDS)[number];

/**
 * The kinds generateSamples uses unless told otherwise: every kind the embedded heuristic judge
 * is calibrated to reject. 'ungrammatical' is left out because that judge does not parse grammar
 * and keeps most scrambled or fragmentary summaries (see test/unit/demo/generator.test.ts), and
 * the demo and the end-to-end tests rely on flawed samples being rejected. Pass
 * `flawKinds: FLAW_KINDS` to include it, e.g. to show what an LLM judge catches and this one misses.
 */
export const DEFAULT_FLAW_KINDS: readonly FlawKind[] = FLAW_KINDS.filter((k) => k !== 'ungrammatical');

/** The flawed output for `kind`, built from the article and its faithful summary. */
export function makeFlawed(kind: FlawKind, r: Rng, a: Article): string {
  switch (kind) {
    case 'invented_entity':
      return inventEntity(r, a);
    case 'invented_number':
      return inventNumber(r, a);
    case 'truncated':
      return truncate(r, a.summary);
    case 'off_topic':
      return offTopic(r, a);
    case 'repetitive':
      return repeat(r, a.summary);
    case 'ungrammatical':
      return garble(r, a.summary, a.text);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared text helpers (also used by the tests to check that each flaw is really there).

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased words of a text. */
export function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => w.toLowerCase());
}

const NUMBER_WORDS: ReadonlyMap<string, string> = new Map(
  (
    'two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11 twelve:12 thirteen:13 ' +
    'fourteen:14 fifteen:15 sixteen:16 seventeen:17 eighteen:18 nineteen:19 twenty:20 thirty:30 forty:40 ' +
    'fifty:50 sixty:60 seventy:70 eighty:80 ninety:90 hundred:100 thousand:1000 million:1000000 ' +
    'billion:1000000000 dozen:12'
  )
    .split(' ')
    .map((kv) => kv.split(':') as [string, string]),
);

const FIGURE = /\d+(?:[.,]\d+)*/g;

/** Canonical form of a written figure: "5,000" -> "5000", "4.0" -> "4". */
export function normalizeFigure(raw: string): string {
  return raw.replace(/,/g, '').replace(/\.0+$/, '');
}

/**
 * Every number a text states in any form: whole figures ("4.2", "5000"), each digit group of them
 * ("4", "2", "5", "000") and number words ("three" -> "3"). A figure outside this set appears
 * nowhere in the text.
 */
export function numbersIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(FIGURE)) {
    out.add(normalizeFigure(m[0]));
    for (const g of m[0].split(/[.,]/)) {
      out.add(g); // "000" as written ...
      out.add(g.replace(/^0+(?=\d)/, '')); // ... and as a value, "0"
    }
  }
  for (const w of wordsOf(text)) {
    const d = NUMBER_WORDS.get(w);
    if (d) out.add(d);
  }
  return out;
}

/** Figures written in digits, as they appear ("$4.2" gives "4.2"; "3-1" gives "3" and "1"). */
export function figuresIn(text: string): string[] {
  return text.match(FIGURE) ?? [];
}

/**
 * Is `name` clearly a different name from any word of the text? Each of its words must be absent
 * from the text and share no five-letter start with a text word ("Andersen" vs "Anderson" is too
 * close to count as invented; it might be a spelling variant).
 */
export function isForeignName(name: string, textWords: ReadonlySet<string>): boolean {
  const prefixes = new Set([...textWords].filter((w) => w.length >= 5).map((w) => w.slice(0, 5)));
  return wordsOf(name).every((w) => !textWords.has(w) && (w.length < 5 || !prefixes.has(w.slice(0, 5))));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function wordRe(s: string, flags = 'g'): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(s)}(?![\\p{L}\\p{N}])`, `u${flags}`);
}

/** Fixes "a 8-2 vote" / "an 5 percent rise" after a figure changed. */
function fixArticles(text: string): string {
  return text.replace(/\b([Aa]n?) (\$?\d[\d,.]*)/g, (_m, a: string, num: string) => {
    const right = indefinite(num);
    return `${a[0] === 'A' ? right[0].toUpperCase() + right.slice(1) : right} ${num}`;
  });
}

// ---------------------------------------------------------------------------------------------
// invented_entity: a person, town or company the article never mentions.

function freshFrom(make: () => string, textWords: ReadonlySet<string>): string {
  for (let i = 0; i < 200; i++) {
    const name = make();
    if (isForeignName(name, textWords)) return name;
  }
  throw new Error('generator: could not invent a name absent from the article');
}

function inventEntity(r: Rng, a: Article): string {
  const text = a.summary.join(' ');
  const textWords = new Set(wordsOf(a.text + ' ' + text));
  const people = a.people.filter((p) => wordRe(p.full, '').test(text));
  const places = [...a.towns, ...a.companies].filter((t) => wordRe(t, '').test(text));

  if (people.length > 0 && (places.length === 0 || r.chance(0.7))) {
    // The classic hallucination: the right role, the wrong person.
    const p = r.pick(people);
    const first = freshFrom(() => r.pick(FIRST_NAMES), textWords);
    const last = freshFrom(() => r.pick(LAST_NAMES), textWords);
    return text.replace(wordRe(p.full), `${first} ${last}`).replace(wordRe(p.last), last);
  }
  if (places.length > 0) {
    const t = r.pick(places);
    const isCompany = a.companies.includes(t);
    const fresh = freshFrom(() => (isCompany ? r.pick(COMPANY_HEADS) + r.pick(COMPANY_TAILS) : r.pick(TOWNS)), textWords);
    return text.replace(wordRe(t), fresh);
  }
  // Nothing named in the summary to swap: attribute a reaction to someone who does not exist.
  const first = freshFrom(() => r.pick(FIRST_NAMES), textWords);
  const last = freshFrom(() => r.pick(LAST_NAMES), textWords);
  return `${text} ${first} ${last}, a spokesperson for the organisers, welcomed the news.`;
}

// ---------------------------------------------------------------------------------------------
// invented_number: one figure changed to a value the article never states.

function alterFigure(r: Rng, raw: string, suffix: string): string {
  const hasDecimal = /\.\d/.test(raw);
  const hasCommas = raw.includes(',');
  const value = Number(raw.replace(/,/g, ''));
  if (hasDecimal) {
    const decimals = raw.split('.')[1].length;
    const factor = r.chance(0.5) ? 0.4 + r.next() * 0.45 : 1.2 + r.next() * 1.3;
    return (value * factor).toFixed(decimals);
  }
  if (suffix) return String(Math.max(1, value + r.pick([-1, 1]) * r.int(2, 12)));
  if (value >= 1900 && value <= 2099 && raw.length === 4) return String(value + r.pick([-1, 1]) * r.int(1, 7));
  if (hasCommas || value >= 1000) {
    const factor = r.chance(0.5) ? 0.35 + r.next() * 0.5 : 1.3 + r.next() * 1.7;
    const v = value * factor;
    const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(v)) - 2);
    return commas(Math.round(v / magnitude) * magnitude);
  }
  if (value <= 12) return String(value + r.int(1, 6));
  const delta = r.int(Math.max(2, Math.round(value * 0.15)), Math.max(3, Math.round(value * 0.6)));
  return String(r.chance(0.5) && value - delta > 0 ? value - delta : value + delta);
}

function inventNumber(r: Rng, a: Article): string {
  const text = a.summary.join(' ');
  const known = numbersIn(a.text);
  const figures = [...text.matchAll(/\d+(?:[.,]\d+)*(st|nd|rd|th)?/g)];
  if (figures.length === 0) throw new Error('generator: summary has no figure to change');
  for (const m of r.shuffle(figures)) {
    const raw = m[0].replace(/(st|nd|rd|th)$/, '');
    const suffix = m[1] ?? '';
    for (let i = 0; i < 30; i++) {
      const fresh = alterFigure(r, raw, suffix);
      if (fresh === raw || known.has(normalizeFigure(fresh))) continue;
      const written = suffix ? ordinal(Number(fresh)) : fresh;
      const at = m.index ?? 0;
      return fixArticles(text.slice(0, at) + written + text.slice(at + m[0].length));
    }
  }
  throw new Error('generator: could not invent a figure absent from the article');
}

// ---------------------------------------------------------------------------------------------
// truncated: the output stops mid-sentence, as when a model hits its token limit.

function truncate(r: Rng, summary: string[]): string {
  // Keep at least one whole sentence, then cut the next one off part-way.
  const cutIndex = summary.length >= 3 && r.chance(0.4) ? 1 : summary.length - 1;
  const words = summary[cutIndex].split(' ');
  const keep = words.length <= 4 ? Math.max(1, words.length - 2) : r.int(3, words.length - 2);
  const partial = words
    .slice(0, keep)
    .join(' ')
    .replace(/[\s,;:'"“”‘’(\-–—]+$/u, '')
    .replace(/[.!?]+$/, '');
  return [...summary.slice(0, cutIndex), partial].join(' ');
}

// ---------------------------------------------------------------------------------------------
// off_topic: a faithful summary of a different article.

function offTopic(r: Rng, a: Article): string {
  const other = r.pick(TOPIC_NAMES.filter((t) => t !== a.topic));
  return generateArticle(r.fork('off_topic'), other).summary.join(' ');
}

// ---------------------------------------------------------------------------------------------
// repetitive: a sentence said again and again, or a phrase stuck in a loop.

function repeat(r: Rng, summary: string[]): string {
  const variant = r.int(0, 2);
  if (variant === 0) {
    // One sentence repeated verbatim two or three extra times.
    const i = r.int(0, summary.length - 1);
    const copies = r.int(2, 3);
    return [...summary.slice(0, i + 1), ...Array<string>(copies).fill(summary[i]), ...summary.slice(i + 1)].join(' ');
  }
  if (variant === 1) {
    // The whole summary comes round again.
    return [...summary, ...summary].join(' ');
  }
  // A phrase loops inside a sentence, the way a model's decoding gets stuck:
  // "... of the local bus of the local bus of the local bus ...".
  const i = r.int(0, summary.length - 1);
  const words = summary[i].replace(/[.!?]$/, '').split(' ');
  const start = r.int(1, Math.max(1, words.length - 4));
  const len = Math.min(r.int(2, 4), words.length - start);
  const phrase = words.slice(start, start + len);
  const loops = r.int(6, 12);
  const looped = [...words.slice(0, start + len), ...Array.from({ length: loops }, () => phrase).flat(), ...words.slice(start + len)];
  const sentence = `${looped.join(' ').replace(/[,;:]+$/, '')}.`;
  return [...summary.slice(0, i), sentence, ...summary.slice(i + 1)].join(' ');
}

// ---------------------------------------------------------------------------------------------
// ungrammatical: scrambled word order, or sentences broken into verbless fragments.

const FUNCTION_WORDS = new Set(
  (
    'a an the of to in on at by for with from and or but that which who whose was were is are be been has have had ' +
    'would will its their as after up about'
  ).split(' '),
);

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Words of a sentence without its punctuation (figures like "$4.2" and "7-2" stay whole). */
function bareWords(sentence: string): string[] {
  return sentence
    .replace(/[.!?]+$/, '')
    .split(' ')
    .map((w) => w.replace(/^["“‘(]+|[,;:"”’)]+$/gu, ''))
    .filter(Boolean);
}

/** The first word of a sentence, lower-cased when the article uses it as an ordinary word. */
function decapitalize(word: string, common: ReadonlySet<string>): string {
  return common.has(word.toLowerCase()) ? word.toLowerCase() : word;
}

function scramble(r: Rng, words: string[]): string[] {
  for (let i = 0; i < 10; i++) {
    const s = r.shuffle(words);
    if (s.some((w, j) => w !== words[j])) return s;
  }
  return words.slice().reverse();
}

/** Runs of content words between function words and punctuation: "Fairbury Town Council approved". */
function phrases(sentence: string): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const raw of sentence.replace(/[.!?]+$/, '').split(' ')) {
    const w = raw.replace(/^["“‘(]+|[,;:"”’)]+$/gu, '');
    const breaks = raw !== w && /[,;:]$/.test(raw);
    if (!w || FUNCTION_WORDS.has(w.toLowerCase())) {
      if (cur.length) out.push(cur);
      cur = [];
      continue;
    }
    cur.push(w);
    if (breaks) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

function garble(r: Rng, summary: string[], source: string): string {
  // Words the article writes in lower case somewhere are ordinary words, not names.
  const common = new Set((source.match(WORD) ?? []).filter((w) => /^\p{Ll}/u.test(w)));
  const lowerFirst = (s: string[]): string[] => (s.length ? [decapitalize(s[0], common), ...s.slice(1)] : s);
  const variant = r.int(0, 2);
  if (variant === 0) {
    // Word salad: every sentence's words in random order.
    return summary.map((s) => `${capitalize(scramble(r, lowerFirst(bareWords(s))).join(' '))}.`).join(' ');
  }
  if (variant === 1) {
    // Fragments: the function words dropped, each content phrase a "sentence" of its own.
    return summary
      .flatMap((s) => phrases(s).map((p, i) => (i === 0 ? lowerFirst(p) : p)))
      .map((p) => `${capitalize(p.join(' '))}.`)
      .join(' ');
  }
  // Phrase salad: each sentence's content phrases shuffled and run together without grammar.
  return summary
    .map((s) => {
      const ps = phrases(s);
      if (ps.length > 0) ps[0] = lowerFirst(ps[0]);
      return `${capitalize(scramble(r, ps.map((p) => p.join(' '))).join(' '))}.`;
    })
    .join(' ');
}
