// A sample's id is a hash of what it says, not where it sits: reordering lines keeps ids,
// editing the text makes a new one, and formatting-only differences (CRLF, Unicode composition,
// runs of spaces, surrounding blank lines) do not count as an edit.
import { createHash } from 'node:crypto';
import type { Sample } from '../judge/types';

// 0xFF never occurs in UTF-8 (lone surrogates encode as EF BF BD), so input and output can never
// be shifted across the boundary to forge another pair's id.
const SEPARATOR = Buffer.from([0xff]);

/**
 * NFC, CRLF/CR → LF, trimmed; a whitespace run without a newline becomes one space, one with a
 * newline becomes "\n", and one with several becomes "\n\n" (a paragraph break stays a paragraph
 * break, indentation and extra blank lines do not count).
 */
export function normalizeText(text: string): string {
  // Two passes keep the work off the common case (one space between words): runs of non-newline
  // whitespace that are not already a single space become one space; then runs holding newlines
  // (only when there are any) become one newline, or a paragraph break for two or more.
  const flat = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .trim()
    .replace(/[^\S\n]{2,}|[^\S\n ]/g, ' ');
  return flat.includes('\n') ? flat.replace(/ ?\n[ \n]*/g, (run) => (run.indexOf('\n') === run.lastIndexOf('\n') ? '\n' : '\n\n')) : flat;
}

/** 32 hex characters (128 bits) of sha256 over the normalized input and output. */
export function sampleId(sample: Pick<Sample, 'input' | 'output'>): string {
  return createHash('sha256')
    .update(normalizeText(sample.input), 'utf8')
    .update(SEPARATOR)
    .update(normalizeText(sample.output), 'utf8')
    .digest('hex')
    .slice(0, 32);
}
