// JSONL lines as editor ranges. An open document's text is cut and parsed exactly as the store
// parses a file (LineSplitter → parseRawLine → toSampleLine, what parseJsonlText does, here
// with the byte offset where a range starts), and each line is mapped to its LSP range. Files
// not open in the editor are read from disk by line through LineIndex.
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
  /** Left out for a line whose id came from the memo (see parseDocumentLines). */
  sample?: SampleRecord;
  error?: string;
}

/**
 * Lines `from`..`to` (0-based, inclusive) of a document as JSONL. `byteBase` gives the UTF-8
 * length of the text before a UTF-16 offset (it decides the BOM rule and the byte positions in
 * messages). `memo` maps a line's exact text to its sample id from an earlier parse: parsing is
 * a pure function of the line's bytes, and hashing every line of a big file again after each
 * keystroke is what makes a re-parse slow. Lines found there come back without their sample;
 * `remember` receives the memo for the next parse.
 */
export function parseDocumentLines(
  doc: TextDocument,
  from: number,
  to: number,
  byteBase: (offset: number) => number,
  limits: LineLimits,
  memo?: { previous: ReadonlyMap<string, string>; next: Map<string, string> },
): LineInfo[] {
  const last = Math.min(to, doc.lineCount - 1);
  if (from > last) return [];
  const text = doc.getText();
  const start = doc.offsetAt({ line: from, character: 0 });
  const end = last + 1 < doc.lineCount ? doc.offsetAt({ line: last + 1, character: 0 }) : text.length;
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  const base = start === 0 ? 0 : byteBase(start);
  const raws: RawLine[] = [];
  const splitter = new LineSplitter(limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, base, from + 1);
  splitter.push(Buffer.from(slice, 'utf8'), raws);
  splitter.end(raws);

  const out: LineInfo[] = [];
  // Line k of the slice starts after its k-th LF: LF bytes in UTF-8 are LF characters, nothing else.
  let at = 0;
  for (const raw of raws) {
    const nl = slice.indexOf('\n', at);
    const stop = nl === -1 ? slice.length : nl;
    // The store's length leaves out the CR of a CRLF terminator (an unterminated last line keeps it).
    const textEnd = raw.terminated && stop > at && slice.charCodeAt(stop - 1) === 0x0d ? stop - 1 : stop;
    const lineStart = at;
    at = stop + 1;
    const lineText = memo && raw.offset !== 0 ? slice.slice(lineStart, textEnd) : undefined;
    const known = lineText !== undefined ? memo!.previous.get(lineText) : undefined;
    let info: Pick<LineInfo, 'id' | 'sample' | 'error'>;
    if (known) info = { id: known };
    else {
      const parsed = parseRawLine(raw, limits);
      if (!parsed) continue;
      info = pick(toSampleLine(parsed));
    }
    if (lineText !== undefined && info.id) memo!.next.set(lineText, info.id);
    const range = { start: doc.positionAt(start + lineStart), end: doc.positionAt(start + textEnd) };
    out.push({ line: range.start.line, range, ...info });
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
