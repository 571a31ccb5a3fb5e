// The per-article drawing context: a seeded RNG plus helpers that draw names, places and numbers
// without repeating a name inside one article, and format numbers the way news copy writes them.
import type { Rng } from './rng';
import { COMPANY_HEADS, COMPANY_TAILS, FIRST_NAMES, LAST_NAMES, MONTHS, TOWNS, WEEKDAYS } from './vocab';

export interface Person {
  first: string;
  last: string;
  /** "First Last". */
  full: string;
}

/** One sentence of an article, with optional light paraphrases a good summary may use instead. */
export interface Line {
  text: string;
  alts?: string[];
}

export function line(text: string, ...alts: string[]): Line {
  return alts.length ? { text, alts } : { text };
}

export class Ctx {
  private readonly usedFirst = new Set<string>();
  private readonly usedLast = new Set<string>();
  private readonly usedTowns = new Set<string>();
  private readonly usedCompanies = new Set<string>();

  /** Every name drawn for this article, so flaws can invent one that is not among them. */
  readonly people: Person[] = [];
  readonly towns: string[] = [];
  readonly companies: string[] = [];

  constructor(readonly r: Rng) {}

  /** One of the options, uniformly. */
  one<T>(...options: T[]): T {
    return this.r.pick(options);
  }

  person(): Person {
    const first = this.fresh(FIRST_NAMES, this.usedFirst);
    const last = this.fresh(LAST_NAMES, this.usedLast);
    const p = { first, last, full: `${first} ${last}` };
    this.people.push(p);
    return p;
  }

  /** A surname for a building or an institution ("Halvorsen Academy"), not a person in the story. */
  surname(): string {
    return this.fresh(LAST_NAMES, this.usedLast);
  }

  town(): string {
    const t = this.fresh(TOWNS, this.usedTowns);
    this.towns.push(t);
    return t;
  }

  company(): string {
    for (let i = 0; i < 50; i++) {
      const name = this.r.pick(COMPANY_HEADS) + this.r.pick(COMPANY_TAILS);
      if (!this.usedCompanies.has(name)) {
        this.usedCompanies.add(name);
        this.companies.push(name);
        return name;
      }
    }
    throw new Error('generator: ran out of company names');
  }

  weekday(): string {
    return this.r.pick(WEEKDAYS);
  }

  month(): string {
    return this.r.pick(MONTHS);
  }

  /** "March 14". */
  date(): string {
    return `${this.month()} ${this.r.int(2, 28)}`;
  }

  year(from = 2008, to = 2022): number {
    return this.r.int(from, to);
  }

  /** A dollar amount between lo and hi, written "$850,000", "$4.2 million" or "$1.3 billion". */
  money(lo: number, hi: number): string {
    // Skewed towards the low end, like real amounts; plain arithmetic keeps it bit-identical everywhere.
    const u = this.r.next();
    return formatMoney(lo + (hi - lo) * u * u * u);
  }

  /** An integer between lo and hi with thousands separators, e.g. "1,240". */
  count(lo: number, hi: number): string {
    return commas(this.r.int(lo, hi));
  }

  /** "12 percent" (integers) or "3.5 percent" when decimals is 1. */
  percent(lo: number, hi: number, decimals = 0): string {
    if (decimals === 0) return `${this.r.int(lo, hi)} percent`;
    const v = lo + this.r.next() * (hi - lo);
    let s = v.toFixed(decimals);
    if (s.endsWith('.0')) s = s.slice(0, -2);
    return `${s} percent`;
  }

  private fresh(list: readonly string[], used: Set<string>): string {
    for (let i = 0; i < 100; i++) {
      const w = this.r.pick(list);
      if (!used.has(w)) {
        used.add(w);
        return w;
      }
    }
    throw new Error('generator: ran out of distinct names');
  }
}

export function commas(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  const out = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${out}` : out;
}

export function formatMoney(v: number): string {
  if (v >= 1e9) return `$${oneDecimal(v / 1e9)} billion`;
  if (v >= 1e6) return `$${oneDecimal(v / 1e6)} million`;
  if (v >= 1e4) return `$${commas(Math.round(v / 1000) * 1000)}`;
  return `$${commas(Math.round(v / 10) * 10)}`;
}

function oneDecimal(x: number): string {
  const s = x.toFixed(1);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/** 1 -> "1st", 22 -> "22nd", 67 -> "67th". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  const suffix = ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** "a" or "an" for the word or figure that follows ("an 8-2 vote", "an 11-point lead"). */
export function article(word: string): string {
  word = word.replace(/^\$/, '');
  if (/^\d/.test(word)) return /^(8|11|18)(?!\d)|^8\d(?!\d)/.test(word) ? 'an' : 'a';
  return /^[aeiouAEIOU]/.test(word) ? 'an' : 'a';
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What a topic produces: the lead, the key facts right after it, and background to draw from. */
export interface Draft {
  lead: Line;
  /** Two or three key facts, placed right after the lead; the good summary draws on them. */
  keys: Line[];
  /** Background, quotes and colour; a random subset fills the article out. */
  fillers: Line[];
  /** Candidates for the last sentence (next steps); one may close the article. */
  closers: Line[];
}

export interface TopicDef {
  name: string;
  build(c: Ctx): Draft;
}
