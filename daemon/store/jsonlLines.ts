// Streaming JSONL reader. Every non-blank line gives either a value or one precise error; the
// outcome depends only on the bytes, never on chunk boundaries. Memory stays under
// chunkBytes + maxLineBytes however large the file or a line is.
import { isUtf8 } from 'node:buffer';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from './atomicWrite';
import { formatCount } from './errors';
import { explainJsonError } from './jsonErrors';
import { LineSplitter, type RawLine } from './lineSplitter';
import { checkSample, type SampleRecord } from './sampleCheck';
import { findInvalidUtf8 } from './utf8';

export const DEFAULT_MAX_LINE_BYTES = 1_048_576;
/** Deeper values are refused: JSON.stringify and most consumers recurse and would overflow. */
export const MAX_DEPTH = 256;

interface LinePosition {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line in the file (or in the UTF-8 encoding of the text). */
  offset: number;
  /** Bytes in the line without its LF / CRLF terminator. */
  length: number;
  /** False for a last line with no newline after it. */
  terminated: boolean;
}

/** One non-blank line as any JSON value. */
export interface JsonLine extends LinePosition {
  value?: unknown;
  error?: string;
}

/** One non-blank line as a training sample. */
export interface JsonlLine extends LinePosition {
  sample?: SampleRecord;
  id?: string;
  error?: string;
}

export interface LineLimits {
  maxLineBytes?: number;
  /** Setting named in the too-long message, so the user knows what to raise. */
  limitName?: string;
}

export interface ReadOptions extends LineLimits {
  chunkBytes?: number;
  /** Byte range to read; `start` must be the start of a line and `firstLine` its number. */
  start?: number;
  end?: number;
  firstLine?: number;
}

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

function depthOver(value: unknown, limit: number): boolean {
  // Fast path for the usual flat record: no nested objects at all.
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    let flat = true;
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') {
        flat = false;
        break;
      }
    }
    if (flat) return false;
  }
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Parse one raw line; undefined for a blank line. */
export function parseRawLine(raw: RawLine, limits: LineLimits = {}): JsonLine | undefined {
  const max = limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const { line, offset, length, terminated } = raw;
  const result = (extra: { value: unknown } | { error: string }): JsonLine => ({ line, offset, length, terminated, ...extra });
  if (!raw.bytes) {
    return result({ error: `line is ${formatCount(length)} bytes; the limit is ${formatCount(max)} (${limits.limitName ?? 'dataset.max_line_bytes'})` });
  }
  let bytes = raw.bytes;
  let skipped = 0;
  // A BOM is allowed only at the very start of the file, and is not part of line 1.
  if (offset === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bytes = bytes.subarray(3);
    skipped = 3;
  }
  if (isBlank(bytes)) return undefined;
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    if (bytes.every((b) => b === 0)) return result({ error: `line is ${formatCount(bytes.length)} NUL bytes (zero-filled, as a crash mid-write can leave)` });
    return result({ error: `NUL byte (0x00) at byte ${formatCount(offset + skipped + nul)}; JSON text cannot contain one raw (write \\u0000 inside a string)` });
  }
  if (!isUtf8(bytes)) {
    const bad = findInvalidUtf8(bytes);
    const at = offset + skipped + (bad?.index ?? 0);
    return result({ error: `invalid UTF-8 at byte ${formatCount(at)}: ${bad?.reason ?? 'malformed sequence'}` });
  }
  const text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) {
    return result({ error: 'line starts with a byte order mark (U+FEFF); one is allowed only at the start of the file (were two files concatenated?)' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (error instanceof RangeError) return result({ error: `nesting is too deep to parse (the limit is ${MAX_DEPTH} levels)` });
    return result({ error: explainJsonError(text, error) });
  }
  if (depthOver(value, MAX_DEPTH)) return result({ error: `nesting is deeper than ${MAX_DEPTH} levels` });
  return { line, offset, length, terminated, value };
}

/** The sample view of a parsed line. */
export function toSampleLine(parsed: JsonLine): JsonlLine {
  const { line, offset, length, terminated } = parsed;
  if (parsed.error !== undefined) return { line, offset, length, terminated, error: parsed.error };
  const checked = checkSample(parsed.value);
  if (checked.error !== undefined) return { line, offset, length, terminated, error: checked.error };
  return { line, offset, length, terminated, sample: checked.sample, id: checked.id };
}

/**
 * Every line (blank ones too) of an open file, read in chunks from `start` to `end` or EOF, a
 * chunk's lines at a time: a million-line file is then a few hundred awaits, not a million.
 */
export async function* readRawLineBatches(handle: FileHandle, options: ReadOptions = {}): AsyncGenerator<RawLine[]> {
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const end = options.end ?? Infinity;
  let position = options.start ?? 0;
  const splitter = new LineSplitter(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES, position, options.firstLine ?? 1);
  while (position < end) {
    // A fresh buffer per read: lines keep views into it.
    const want = Math.min(chunkBytes, end - position);
    const chunk = Buffer.allocUnsafe(want);
    const { bytesRead } = await handle.read(chunk, 0, want, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const out: RawLine[] = [];
    splitter.push(chunk.subarray(0, bytesRead), out);
    if (out.length) yield out;
  }
  const out: RawLine[] = [];
  splitter.end(out);
  if (out.length) yield out;
}

async function* withFile<T>(path: string, read: (handle: FileHandle) => AsyncGenerator<T>): AsyncGenerator<T> {
  const handle = await fsp.open(path, 'r');
  try {
    yield* read(handle);
  } finally {
    await handle.close();
  }
}

/** Every non-blank line of a file as a JSON value or an error. */
export async function* readJsonLines(path: string, options: ReadOptions = {}): AsyncGenerator<JsonLine> {
  for await (const batch of readJsonLineBatches(path, options)) yield* batch;
}

/** readJsonLines a chunk at a time, for loops over big files (a journal at start-up). */
export function readJsonLineBatches(path: string, options: ReadOptions = {}): AsyncGenerator<JsonLine[]> {
  return withFile(path, async function* (handle) {
    for await (const raws of readRawLineBatches(handle, options)) {
      const batch: JsonLine[] = [];
      for (const raw of raws) {
        const parsed = parseRawLine(raw, options);
        if (parsed) batch.push(parsed);
      }
      if (batch.length) yield batch;
    }
  });
}

/** Every non-blank line of a JSONL dataset file as a sample (with its id) or an error. */
export function readJsonlFile(path: string, options: ReadOptions = {}): AsyncGenerator<JsonlLine> {
  return withFile(path, async function* (handle) {
    for await (const batch of readRawLineBatches(handle, options)) {
      for (const raw of batch) {
        const parsed = parseRawLine(raw, options);
        if (parsed) yield toSampleLine(parsed);
      }
    }
  });
}

/** The same, for content already in memory (bytes as on disk). */
export function parseJsonlBytes(bytes: Uint8Array, limits: LineLimits = {}): JsonlLine[] {
  const out: RawLine[] = [];
  const splitter = new LineSplitter(limits.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  splitter.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), out);
  splitter.end(out);
  const lines: JsonlLine[] = [];
  for (const raw of out) {
    const parsed = parseRawLine(raw, limits);
    if (parsed) lines.push(toSampleLine(parsed));
  }
  return lines;
}

/** The same, for an editor's text; offsets are bytes of its UTF-8 encoding, as on disk. */
export function parseJsonlText(text: string, limits: LineLimits = {}): JsonlLine[] {
  return parseJsonlBytes(Buffer.from(text, 'utf8'), limits);
}
