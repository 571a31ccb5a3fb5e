// What the dataset file held when it was last read: each valid sample's id, line number and byte
// range, the invalid lines with their errors, and the (size, mtime, inode) it was read at, so a
// change by another writer can be noticed before anything is appended.
import { promises as fsp } from 'node:fs';
import { z } from 'zod';
import { isErrno } from './errors';
import { fingerprintOf, sameFingerprint, type Fingerprint } from './fingerprint';
import { onlyGrewSince, readTail, TAIL_BYTES } from './fileTail';
import type { IdSlots } from './IdSlots';
import { markOf, sameNumbering } from './sampleIds';
import { Float64List, Uint32List } from './numberLists';
import { parseRawLine, readRawLineBatches, toSampleLine } from './jsonlLines';
import type { RawLine } from './lineSplitter';
import type { Snapshot } from './StateDb';

/** What a saved index says besides its arrays; checked when read back (the file may be from anywhere). */
const savedMeta = z.object({
  fingerprint: z.object({ size: z.number(), mtimeMs: z.number(), ino: z.number() }).nullable(),
  lineCount: z.number().int().nonnegative(),
  endsWithNewline: z.boolean(),
  invalid: z.array(z.object({ line: z.number(), error: z.string() })),
  invalidCount: z.number().int().nonnegative(),
  duplicateLines: z.number().int().nonnegative(),
  tornTail: z.object({ line: z.number(), offset: z.number(), error: z.string() }).optional(),
  size: z.number().int().nonnegative(),
  ids: z.unknown(),
});

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

/** firstAt of a sample that is on no line. */
const NONE = 0xffffffff;

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
  private lines = new Float64List();
  private offsets = new Float64List();
  private lengths = new Float64List();
  /** Each valid line's sample, as its slot in the workspace's numbering of ids (sampleIds.ts). */
  private slotAt = new Uint32List();
  /** Per slot: the position of the first line with that sample, or NONE. */
  private firstAt = new Uint32List();

  constructor(private readonly slots: IdSlots) {}
  /** The last TAIL_BYTES (or fewer) bytes of the file as indexed. */
  private tail: Buffer = Buffer.alloc(0);

  /** Index `file` as it is now; re-reads if it changed while being read. */
  static async build(file: string, maxLineBytes: number, ids: IdSlots): Promise<DatasetIndex> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return new DatasetIndex(ids);
      throw error;
    }
    try {
      for (let attempt = 1; ; attempt++) {
        const before = fingerprintOf(await handle.stat());
        const index = await DatasetIndex.read(handle, before, maxLineBytes, ids);
        index.tail = await readTail(handle, before.size);
        const after = fingerprintOf(await handle.stat());
        // Changed while read (an editor saving): read again; after a few tries take what we have,
        // the next append compares fingerprints again anyway.
        if (sameFingerprint(before, after) || attempt >= 5) return index;
      }
    } finally {
      await handle.close();
    }
  }

  private static async read(handle: fsp.FileHandle, fingerprint: Fingerprint, maxLineBytes: number, ids: IdSlots): Promise<DatasetIndex> {
    const index = new DatasetIndex(ids);
    index.fingerprint = fingerprint;
    await index.readLines(handle, { maxLineBytes, end: fingerprint.size });
    return index;
  }

  private async readLines(handle: fsp.FileHandle, range: { maxLineBytes: number; end: number; start?: number; firstLine?: number }): Promise<void> {
    // 1 MiB chunks, a chunk's lines per await (not an await per line).
    for await (const batch of readRawLineBatches(handle, { ...range, chunkBytes: 1024 * 1024 })) {
      for (const raw of batch) this.readLine(raw, range);
    }
  }

  private readLine(raw: RawLine, limits: { maxLineBytes: number }): void {
    this.lineCount = raw.line;
    this.endsWithNewline = raw.terminated;
    const parsed = parseRawLine(raw, limits);
    if (!parsed) return;
    this.tornTail = parsed.error !== undefined && !parsed.terminated ? { line: parsed.line, offset: parsed.offset, error: parsed.error } : undefined;
    const entry = toSampleLine(parsed);
    if (entry.id !== undefined) {
      this.add({ line: entry.line, offset: entry.offset, length: entry.length, id: entry.id });
    } else {
      this.invalidCount++;
      if (this.invalid.length < MAX_REPORTED_INVALID) this.invalid.push({ line: entry.line, error: entry.error ?? 'invalid' });
    }
  }

  /**
   * When the file only grew since it was indexed (same inode, its old last bytes still in place,
   * and the old last line was complete), index just the lines after them and return their ids, so
   * the cost follows the edit, not the file. Undefined when it changed in any other way: then
   * nothing here was touched and the caller builds a new index. An edit earlier in the file that
   * keeps every byte count is not seen here; reading a line whose id differs re-indexes it all.
   */
  async readAppended(file: string, maxLineBytes: number): Promise<string[] | undefined> {
    const before = this.fingerprint;
    if (!before || !this.endsWithNewline || this.tornTail) return undefined;
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    }
    try {
      const now = fingerprintOf(await handle.stat());
      if (now.ino !== before.ino || now.size <= before.size) return undefined;
      const tail = await readTail(handle, before.size, this.tail.length);
      if (!tail.equals(this.tail)) return undefined;
      // Read into a scratch index first: a failure halfway leaves this one as it was.
      const added = new DatasetIndex(this.slots);
      added.lineCount = this.lineCount;
      await added.readLines(handle, { maxLineBytes, start: before.size, end: now.size, firstLine: this.lineCount + 1 });
      if (!sameFingerprint(fingerprintOf(await handle.stat()), now)) return undefined;
      for (let i = 0; i < added.size; i++) this.add(added.entry(i));
      this.invalidCount += added.invalidCount;
      this.invalid.push(...added.invalid.slice(0, Math.max(0, MAX_REPORTED_INVALID - this.invalid.length)));
      this.lineCount = added.lineCount;
      this.endsWithNewline = added.endsWithNewline;
      this.tornTail = added.tornTail;
      this.fingerprint = now;
      this.tail = await readTail(handle, now.size);
      return added.ids();
    } finally {
      await handle.close();
    }
  }

  /** Whether `file` is still what was indexed: the same (size, mtime, inode), its last bytes in place. */
  async unchangedOnDisk(file: string): Promise<boolean> {
    const now = await fsp.stat(file).then(fingerprintOf, (error: unknown) => {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    });
    if (!sameFingerprint(now, this.fingerprint)) return false;
    return !this.fingerprint || onlyGrewSince(file, { ino: this.fingerprint.ino, size: this.fingerprint.size, tail: this.tail });
  }

  /** The store appended `bytes` itself (the fingerprint is set by the caller). */
  appendedBytes(bytes: Buffer): void {
    const joined = Buffer.concat([this.tail, bytes]);
    this.tail = Buffer.from(joined.subarray(Math.max(0, joined.length - TAIL_BYTES)));
  }

  /** Everything this index knows, to save beside the dataset; `fromSnapshot` reads it back. */
  toSnapshot(): Snapshot {
    const meta: z.infer<typeof savedMeta> = {
      fingerprint: this.fingerprint,
      lineCount: this.lineCount,
      endsWithNewline: this.endsWithNewline,
      invalid: this.invalid,
      invalidCount: this.invalidCount,
      duplicateLines: this.duplicateLines,
      ...(this.tornTail ? { tornTail: this.tornTail } : {}),
      size: this.size,
      ids: markOf(this.slots),
    };
    const parts = { lines: this.lines.toBytes(), offsets: this.offsets.toBytes(), lengths: this.lengths.toBytes(), slots: this.slotAt.toBytes(), tail: this.tail };
    return { meta, parts };
  }

  /** The index a snapshot describes; throws when the snapshot does not hold together. */
  static fromSnapshot(snapshot: Snapshot, ids: IdSlots): DatasetIndex {
    const meta = savedMeta.parse(snapshot.meta);
    const { lines, offsets, lengths, slots, tail } = snapshot.parts;
    if (!lines || !offsets || !lengths || !slots || !tail) throw new Error('a saved dataset index lacks one of its parts');
    if (!sameNumbering(ids, meta.ids)) throw new Error('it numbers samples another way than the saved numbering');
    const index = new DatasetIndex(ids);
    Object.assign(index, { fingerprint: meta.fingerprint, lineCount: meta.lineCount, endsWithNewline: meta.endsWithNewline, invalidCount: meta.invalidCount, tornTail: meta.tornTail });
    index.invalid.push(...meta.invalid);
    const columns = [lines, offsets, lengths].map((b) => Float64List.fromBytes(b));
    const slotAt = Uint32List.fromBytes(slots);
    if (slotAt.length !== meta.size || columns.some((c) => c.length !== meta.size)) throw new Error(`a saved dataset index says ${meta.size} samples but holds other counts`);
    [index.lines, index.offsets, index.lengths] = columns;
    index.slotAt = slotAt;
    for (let position = 0; position < meta.size; position++) {
      const slot = slotAt.at(position);
      if (slot >= ids.size) throw new Error(`line position ${position} refers to sample ${slot}, outside the numbering`);
      index.noteSlot(slot, position);
    }
    if (index.duplicateLines !== meta.duplicateLines) throw new Error(`it says ${meta.duplicateLines} repeated lines but holds ${index.duplicateLines}`);
    index.tail = Buffer.from(tail);
    return index;
  }

  /** Valid sample lines. */
  get size(): number {
    return this.slotAt.length;
  }

  has(id: string): boolean {
    return this.hasSlot(this.slots.slotOf(id));
  }

  /** Whether a line holds the sample with this slot. */
  hasSlot(slot: number): boolean {
    return slot >= 0 && slot < this.firstAt.length && this.firstAt.at(slot) !== NONE;
  }

  /** Each valid line's sample slot, in file order (a view or a copy: do not change it). */
  lineSlots(): Uint32Array {
    return this.slotAt.toArray();
  }

  /** Position (among valid lines) of the first line with this id. */
  positionOf(id: string): number | undefined {
    const slot = this.slots.slotOf(id);
    return this.hasSlot(slot) ? this.firstAt.get(slot) : undefined;
  }

  /** Each valid line's id, in file order (made afresh: a million strings, so keep them no longer than needed). */
  ids(): string[] {
    const out = new Array<string>(this.size);
    for (let position = 0; position < out.length; position++) out[position] = this.idAt(position);
    return out;
  }

  idAt(position: number): string {
    return this.slots.idAt(this.slotAt.get(position));
  }

  entry(position: number): IndexedEntry {
    return { line: this.lines.get(position), offset: this.offsets.get(position), length: this.lengths.get(position), id: this.idAt(position) };
  }

  add(entry: IndexedEntry): void {
    const slot = this.slots.add(entry.id);
    this.noteSlot(slot, this.slotAt.length);
    this.slotAt.push(slot);
    this.lines.push(entry.line);
    this.offsets.push(entry.offset);
    this.lengths.push(entry.length);
  }

  /** The valid line at `position` holds the sample with this slot. */
  private noteSlot(slot: number, position: number): void {
    while (this.firstAt.length <= slot) this.firstAt.push(NONE);
    if (this.firstAt.at(slot) === NONE) this.firstAt.set(slot, position);
    else this.duplicateLines++;
  }
}
