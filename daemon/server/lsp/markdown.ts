// Text from samples, judges and people goes into hovers as literal text: an LLM's rationale or a
// correction can contain Markdown, HTML or links, and must show as written, never render.

/** ASCII punctuation Markdown (CommonMark + GFM: tables, strikethrough, autolinks) gives meaning to. */
const SPECIAL = /[\\`*_{}[\]()<>#+\-.!|~&:"'=^$%@]/g;

/** One line of literal text: whitespace runs (newlines too) become one space, then punctuation is escaped. */
export function literal(text: string, max = 500): string {
  return escapeMarkdown(truncate(oneLine(text), max));
}

export function escapeMarkdown(text: string): string {
  return text.replace(SPECIAL, (c) => `\\${c}`);
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A score as shown everywhere: two decimals. */
export function score(x: number): string {
  return x.toFixed(2);
}
