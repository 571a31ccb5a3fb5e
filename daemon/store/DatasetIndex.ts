// What the dataset file held when it was last read: each valid sample's id, line number and byte
// range, the invalid lines with their errors, and the (size, mtime, inode) it was read at, so a
// change by another writer can be noticed before anything is appended.
import { promises as fsp } from 'node:fs';
import { isErrno } from './errors';
import { fingerprintOf, sameFingerprint, type Fingerprint } from './fingerprint';
import { Float64List } from './float64List';
import { parseRawLine, readRawLines, toSampleLine } from './jsonlLines';

export interface InvalidLine {
  line: number;
  error: string;
}

export interface IndexedEntry {
  line: number;
  offset: number;
  length: number;
  id: string;
}

/** Invalid lines kept with their messages; beyond this only counted (a binary file has millions). */
export const MAX_REPORTED_INVALID = 10_000;

export class DatasetIndex {
  fingerprint: Fingerprint | null = null;
  /** Lines in the file, blank and invalid ones included. */
  lineCount = 0;
  /** False when the last line has no newline: the next append must start with one. */
  endsWithNewline = true;
  readonly invalid: InvalidLine[] = [];
  invalidCount = 0;
  /** Valid lines whose id an earlier line already has. */
  duplicateLines = 0;
  /** The last line, when it is a JSON fragment with no newline after it: what a torn append leaves. */
  tornTail: { line: number; offset: number; error: string } | undefined;
  private readonly lines = new Float64List();
  private readonly offsets = new Float64List();
  private readonly lengths = new Float64List();
  private readonly idList: string[] = [];
  private readonly firstById = new Map<string, number>();

  /** Index `file` as it is now; re-reads if it changed while being read. */
  static async build(file: string, maxLineBytes: number): Promise<DatasetIndex> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return new DatasetIndex();
      throw error;
    }
    try {
      for (let attempt = 1; ; attempt++) {
        const before = fingerprintOf(await handle.stat());
        const index = await DatasetIndex.read(handle, before, maxLineBytes);
        const after = fingerprintOf(await handle.stat());
        // Changed while read (an editor saving): read again; after a few tries take what we have,
        // the next append compares fingerprints again anyway.
        if (sameFingerprint(before, after) || attempt >= 5) return index;
      }
    } finally {
      await handle.close();
    }
  }

  private static async read(handle: fsp.FileHandle, fingerprint: Fingerprint, maxLineBytes: number): Promise<DatasetIndex> {
    const index = new DatasetIndex();
    index.fingerprint = fingerprint;
    for await (const raw of readRawLines(handle, { maxLineBytes, end: fingerprint.size })) {
      index.lineCount = raw.line;
      index.endsWithNewline = raw.terminated;
      const parsed = parseRawLine(raw, { maxLineBytes });
      if (!parsed) continue;
      index.tornTail = parsed.error !== undefined && !parsed.terminated ? { line: parsed.line, offset: parsed.offset, error: parsed.error } : undefined;
      const entry = toSampleLine(parsed);
      if (entry.id !== undefined) {
        index.add({ line: entry.line, offset: entry.offset, length: entry.length, id: entry.id });
      } else {
        index.invalidCount++;
        if (index.invalid.length < MAX_REPORTED_INVALID) index.invalid.push({ line: entry.line, error: entry.error ?? 'invalid' });
      }
    }
    return index;
  }

  /** Valid sample lines. */
  get size(): number {
    return this.idList.length;
  }

  has(id: string): boolean {
    return this.firstById.has(id);
  }

  ids(): string[] {
    return this.idList.slice();
  }

  entry(position: number): IndexedEntry {
    return { line: this.lines.get(position), offset: this.offsets.get(position), length: this.lengths.get(position), id: this.idList[position] };
  }

  add(entry: IndexedEntry): void {
    if (this.firstById.has(entry.id)) this.duplicateLines++;
    else this.firstById.set(entry.id, this.idList.length);
    this.lines.push(entry.line);
    this.offsets.push(entry.offset);
    this.lengths.push(entry.length);
    this.idList.push(entry.id);
  }
}
