// Assembles a news-like article from a topic's draft (lead, key facts, background, closing line)
// and writes its faithful summary: the lead and one or two key facts, verbatim or lightly
// paraphrased, so it names only the people, places and figures the article states.
import { Ctx, type Line, type Person, type TopicDef } from './context';
import type { Rng } from './rng';
import { business } from './topics/business';
import { council } from './topics/council';
import { education } from './topics/education';
import { health } from './topics/health';
import { science } from './topics/science';
import { sports } from './topics/sports';
import { technology } from './topics/technology';
import { weather } from './topics/weather';

export const TOPICS: readonly TopicDef[] = [council, sports, science, business, weather, health, technology, education];
export const TOPIC_NAMES: readonly string[] = TOPICS.map((t) => t.name);

export const MIN_SENTENCES = 6;
export const MAX_SENTENCES = 15;

export interface Article {
  topic: string;
  /** The article's sentences in order. */
  sentences: string[];
  /** The article as text: sentences grouped into short paragraphs. */
  text: string;
  /** A faithful summary of two or three sentences. */
  summary: string[];
  /** Everyone, every town and every company name drawn for the article (some may go unused). */
  people: Person[];
  towns: string[];
  companies: string[];
}

function pickText(r: Rng, l: Line, paraphrase: number): string {
  return l.alts && r.chance(paraphrase) ? r.pick(l.alts) : l.text;
}

/** One article on the given topic (or a random one). */
export function generateArticle(r: Rng, topic?: string): Article {
  const def = topic === undefined ? r.pick(TOPICS) : TOPICS.find((t) => t.name === topic);
  if (!def) throw new Error(`generator: unknown topic "${topic}" (known: ${TOPIC_NAMES.join(', ')})`);
  const c = new Ctx(r);
  const d = def.build(c);

  const n = r.int(MIN_SENTENCES, MAX_SENTENCES);
  const closer = r.chance(0.6) ? r.pick(d.closers) : undefined;
  const room = n - 1 - d.keys.length - (closer ? 1 : 0);
  const fillers = r.sample(d.fillers, Math.max(0, room));
  const body: Line[] = [...d.keys];
  // Now and then a quote or background sentence sits between two key facts, as in real copy.
  if (fillers.length > 0 && r.chance(0.3)) body.splice(r.int(1, body.length - 1), 0, fillers.shift()!);
  const lines = [d.lead, ...body, ...fillers, ...(closer ? [closer] : [])];
  const sentences = introduceByFullName(
    lines.map((l) => l.text),
    c.people,
  );

  // Summary: the lead plus one or two key facts in article order.
  const keyCount = Math.min(d.keys.length, r.chance(0.5) ? 1 : 2);
  const chosen = r.sample(d.keys.map((_, i) => i), keyCount).sort((a, b) => a - b);
  const summary = [pickText(r, d.lead, 0.5), ...chosen.map((i) => pickText(r, d.keys[i], 0.4))];

  return {
    topic: def.name,
    sentences,
    text: paragraphs(r, sentences),
    summary,
    people: c.people,
    towns: c.towns,
    companies: c.companies,
  };
}

/**
 * News copy names a person in full on first mention and by surname after that. Background
 * sentences are drawn at random, so a surname-only line ("..., Haddad said.") can come first;
 * this rewrites that first mention to the full name.
 */
function introduceByFullName(sentences: string[], people: readonly Person[]): string[] {
  const out = sentences.slice();
  for (const p of people) {
    const surname = new RegExp(`\\b${p.last}\\b`);
    const first = out.findIndex((s) => surname.test(s));
    if (first >= 0 && !out[first].includes(p.full)) out[first] = out[first].replace(surname, p.full);
  }
  return out;
}

/** Groups sentences into paragraphs of one to three sentences; the lead stands alone. */
function paragraphs(r: Rng, sentences: string[]): string {
  const out: string[] = [sentences[0]];
  let i = 1;
  while (i < sentences.length) {
    const size = r.int(1, 3);
    out.push(sentences.slice(i, i + size).join(' '));
    i += size;
  }
  return out.join('\n\n');
}
