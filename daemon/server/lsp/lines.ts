// JSONL lines as editor ranges. An open document's text is cut and parsed exactly as the store
// parses a file (LineSplitter → parseRawLine → toSampleLine, what parseJsonlText does, here
// with the byte offset where a range starts); each line's byte offsets are then mapped to LSP
// positions. Files not open in the editor are read from disk by line through LineIndex.
import { Buffer } from 'node:buffer';
import type { Range } from 'vscode-languageserver-protocol';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_MAX_LINE_BYTES, parseRawLine, toSampleLine, type LineLimits } from '../../store/jsonlLines';
import { LineIndex } from '../../store/LineIndex';
import { LineSplitter, type RawLine } from '../../store/lineSplitter';
import type { SampleRecord } from '../../store/sampleCheck';

/** One non-blank JSONL line: a sample with its id, or the store's message for why it is not one. */
export interface LineInfo {
  /** 0-based document line where the JSONL line starts. */
  line: number;
  /** The line's text, without its terminator. */
  range: Range;
  id?: string;
  sample?: SampleRecord;
  error?: string;
}

/**
 * Lines `from`..`to` (0-based, inclusive) of `text` as JSONL. `byteBase` is the UTF-8 length of
 * the text before line `from` (it decides the BOM rule and the byte positions in messages).
 */
export function parseDocumentLines(doc: TextDocument, from: number, to: number, byteBase: (offset: number) => number, limits: LineLimits): LineInfo[] {
  const last = Math.min(to, doc.lineCount - 1);
  if (from > last) return [];
  const text = doc.getText();
  const start = doc.offsetAt({ line: from, character: 0 });
  const end = last + 1 < doc.lineCount ? doc.offsetAt({ line: last + 1, character: 0 }) : text.length;
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  const bytes = Buffer.from(slice, 'utf8');
  const base = start === 0 ? 0 : byteBase(start);
  const raws: RawLine[] = [];
  const splitter = new LineSplitter(limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, base, from + 1);
  splitter.push(bytes, raws);
  splitter.end(raws);

  // UTF-16 offsets (what positions count) from byte offsets; one walk, equal when all ASCII.
  const ascii = bytes.length === slice.length;
  let byteAt = 0;
  let unitAt = 0;
  const unitOf = (byte: number): number => {
    if (ascii) return byte;
    unitAt += bytes.toString('utf8', byteAt, byte).length;
    byteAt = byte;
    return unitAt;
  };
  const out: LineInfo[] = [];
  for (const raw of raws) {
    const parsed = parseRawLine(raw, limits);
    if (!parsed) continue;
    const line = toSampleLine(parsed);
    const first = unitOf(raw.offset - base);
    const units = ascii ? raw.length : bytes.toString('utf8', raw.offset - base, raw.offset - base + raw.length).length;
    const range = { start: doc.positionAt(start + first), end: doc.positionAt(start + first + units) };
    out.push({ line: range.start.line, range, ...pick(line) });
  }
  return out;
}

/**
 * Lines `from`..`to` (0-based, inclusive) of a file on disk. The end character is the line's
 * length in bytes, never less than its length in UTF-16 units; LSP clamps a character past the
 * end of a line to its end.
 */
export async function readDiskLines(file: string, from: number, to: number, limits: LineLimits): Promise<LineInfo[]> {
  const index = await LineIndex.forFile(file, limits);
  const lines = await index.readLines(from + 1, Math.min(to + 1, index.lineCount));
  return lines.map((l) => {
    const line = l.line - 1;
    return { line, range: { start: { line, character: 0 }, end: { line, character: l.length } }, ...pick(l) };
  });
}

function pick(l: { id?: string; sample?: SampleRecord; error?: string }): Pick<LineInfo, 'id' | 'sample' | 'error'> {
  return l.error !== undefined || !l.id ? { error: l.error ?? 'not a sample' } : { id: l.id, sample: l.sample };
}
