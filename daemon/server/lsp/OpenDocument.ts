// A document the editor has open (textDocument/didOpen), kept in step with its incremental
// changes. It remembers, per version, where in its UTF-8 encoding lines start (so a range near
// the end of a big file is parsed without re-encoding all the text before it) and the last
// whole-document parse (diagnostics, code lenses).
import { Buffer } from 'node:buffer';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LineLimits } from '../../store/jsonlLines';
import type { SampleRecord } from '../../store/sampleCheck';
import { parseDocumentLines, type LineInfo } from './lines';

export type ContentChange = { text: string; range?: { start: { line: number; character: number }; end: { line: number; character: number } } };

const MAX_CHECKPOINTS = 256;

export class OpenDocument {
  private doc: TextDocument;
  /** [UTF-16 offset, UTF-8 offset] pairs, sorted, valid for the current text. */
  private checkpoints: [number, number][] = [[0, 0]];
  private parsed: { version: number; lines: LineInfo[] } | undefined;
  /** Line text → sample id of the last whole-document parse, for the line limit it used. */
  private memo: { key: number; ids: Map<string, string> } = { key: -1, ids: new Map() };
  /** Sample ids of the last whole-document parse: which documents an assessment touches. */
  ids = new Set<string>();
  diagnosticsTimer: NodeJS.Timeout | undefined;
  judgeTimer: NodeJS.Timeout | undefined;
  /** Diagnostics were published for it (so closing or leaving the glob clears them). */
  published = false;
  /** Bumped on every change and on close, so a background pass can tell it is out of date. */
  generation = 0;

  constructor(
    readonly uri: string,
    languageId: string,
    version: number,
    text: string,
  ) {
    this.doc = TextDocument.create(uri, languageId, version, text);
  }

  get version(): number {
    return this.doc.version;
  }

  get lineCount(): number {
    return this.doc.lineCount;
  }

  /** Applies changes one at a time (each change's range is in the text the previous one left). */
  update(changes: ContentChange[], version: number): void {
    let from = Infinity;
    for (const change of changes) {
      from = Math.min(from, change.range ? this.doc.offsetAt(change.range.start) : 0);
      this.doc = TextDocument.update(this.doc, [change], version);
    }
    this.checkpoints = this.checkpoints.filter(([units]) => units <= from);
    this.parsed = undefined;
    this.generation++;
  }

  /**
   * Lines `from`..`to` (0-based, inclusive). A whole-document parse is remembered, and lines it
   * shares with the previous one come back without their sample (see sample()).
   */
  lines(from: number, to: number, limits: LineLimits): LineInfo[] {
    const whole = from <= 0 && to >= this.doc.lineCount - 1;
    if (!whole) return parseDocumentLines(this.doc, from, to, (offset) => this.byteOffset(offset), limits);
    const key = limits.maxLineBytes ?? 0;
    const memo = { previous: this.memo.key === key ? this.memo.ids : new Map<string, string>(), next: new Map<string, string>() };
    const lines = parseDocumentLines(this.doc, 0, to, () => 0, limits, memo);
    this.memo = { key, ids: memo.next };
    this.parsed = { version: this.doc.version, lines: lines.map(({ sample: _sample, ...rest }) => rest) };
    this.ids = new Set(lines.flatMap((l) => (l.id ? [l.id] : [])));
    return lines;
  }

  /** Every line, from the last whole-document parse when the text has not changed since. */
  all(limits: LineLimits): LineInfo[] {
    if (this.parsed?.version === this.doc.version) return this.parsed.lines;
    return this.lines(0, this.doc.lineCount - 1, limits);
  }

  /** The sample on a line, parsed again from the text. */
  sample(line: LineInfo, limits: LineLimits): SampleRecord | undefined {
    if (line.sample) return line.sample;
    return this.lines(line.line, line.line, limits).find((l) => l.id === line.id)?.sample;
  }

  /** UTF-8 offset of a UTF-16 offset, from the nearest checkpoint before it. */
  private byteOffset(offset: number): number {
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpoints[mid][0] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const [units, bytes] = this.checkpoints[lo];
    if (units === offset) return bytes;
    const result = bytes + Buffer.byteLength(this.doc.getText().slice(units, offset), 'utf8');
    if (this.checkpoints.length >= MAX_CHECKPOINTS) this.checkpoints = this.checkpoints.filter((_, i) => i % 2 === 0);
    const at = this.checkpoints.findIndex(([u]) => u > offset);
    this.checkpoints.splice(at === -1 ? this.checkpoints.length : at, 0, [offset, result]);
    return result;
  }
}
