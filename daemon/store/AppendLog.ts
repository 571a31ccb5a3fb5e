// An append-only JSONL journal the daemon owns (nobody edits it). Recovery on open: a torn last
// line is set aside and the file truncated to the last good line; a bad line anywhere else is not
// a crash artifact, so the log goes read-only and says so. Appends resolve only after fsync,
// and concurrent appends share one fsync. A failed write or fsync is never retried.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fsyncDir, writeAll, type FileHandle } from './atomicWrite';
import { describeError, formatCount, isErrno, StoreError } from './errors';
import { GroupCommit } from './groupCommit';
import { readJsonLineBatches } from './jsonlLines';
import { silentLogger, type StoreLogger } from './logger';
import { setAsideTail } from './tornTail';
import { ProbeClock, probeWritable, storageFault } from './storageProbe';
import { lastNewlineEnd } from './lastNewline';
import { mkdirNoFollow, openNoFollow, refuseLink } from '../workspace/noFollow';

/** Returns the typed record or throws with a message saying what is wrong (a zod `parse` fits). */
export type SchemaCheck<T> = (value: unknown) => T;

/** The two operations whose failure matters; injectable so tests can make them fail. */
export interface AppendIO {
  write(handle: FileHandle, bytes: Uint8Array): Promise<void>;
  sync(handle: FileHandle): Promise<void>;
}

export const nodeIO: AppendIO = { write: writeAll, sync: (handle) => handle.sync() };

export interface AppendLogOptions<T> {
  logger?: StoreLogger;
  io?: AppendIO;
  /** Lines longer than this are not buffered when reading; appends over it are refused. */
  maxLineBytes?: number;
  /** Receive records while loading instead of keeping them all in `records`. */
  onRecord?: (record: T, line: number, at: RecordAt) => void;
  /** Where a torn tail goes; default: next to the log. */
  asideDir?: string;
  /**
   * Read only from this byte on (the start of line `firstLine`): the records before it were
   * loaded before and are known to the caller, who checked that they are still in place.
   */
  resumeAt?: { offset: number; line: number };
  /** Lines before this byte passed `check` when first read (and nothing moved them since): not checked again. */
  checkedUntil?: number;
}

export type AppendLogState = 'open' | 'read-only' | 'failed' | 'closed';

const NEWLINE = Buffer.from('\n');

/** Where a record's line is in the log: its first byte and its length without the newline. */
export interface RecordAt {
  offset: number;
  length: number;
}

interface BadLine {
  line: number;
  offset: number;
  error: string;
}

export class AppendLog<T> {
  /** Records loaded by `open` (empty when `onRecord` was given). */
  readonly records: T[] = [];
  /** Torn tails moved aside by `open`, with where they went. */
  readonly setAside: string[] = [];
  private failure: StoreError | undefined;
  private closed = false;
  private handle: FileHandle | undefined;
  private needsNewline = false;
  /** Bytes of whole, fsynced lines: where the next append starts. */
  private bytes = 0;
  private lineCount = 0;
  private resumable = true;
  private readonly commits = new GroupCommit<Buffer, number>((items) => this.commit(items));
  private readonly probes = new ProbeClock();

  private constructor(
    readonly path: string,
    private readonly io: AppendIO,
    private readonly logger: StoreLogger,
    private readonly maxLineBytes: number,
  ) {}

  static async open<T>(file: string, check: SchemaCheck<T>, options: AppendLogOptions<T> = {}): Promise<AppendLog<T>> {
    const log = new AppendLog<T>(file, options.io ?? nodeIO, options.logger ?? silentLogger, options.maxLineBytes ?? 16 * 1024 * 1024);
    const deliver = options.onRecord ?? ((record: T) => log.records.push(record));
    await mkdirNoFollow(path.dirname(file));
    await refuseLink(file);

    let existed = true;
    let lastBad: BadLine | undefined;
    let middleBad: BadLine | undefined;
    try {
      const checkedUntil = options.checkedUntil ?? 0;
      const from = options.resumeAt ? { start: options.resumeAt.offset, firstLine: options.resumeAt.line } : {};
      log.lineCount = (options.resumeAt?.line ?? 1) - 1;
      // 1 MiB chunks, a chunk's lines per await: a big journal loads at JSON.parse speed.
      for await (const batch of readJsonLineBatches(file, { maxLineBytes: log.maxLineBytes, limitName: 'the journal line limit', chunkBytes: 1024 * 1024, ...from })) {
        for (const parsed of batch) {
          log.lineCount = parsed.line;
          if (lastBad) middleBad ??= lastBad; // something follows a bad line: it was not the tail
          lastBad = undefined;
          const bad = { line: parsed.line, offset: parsed.offset };
          if (parsed.error !== undefined) {
            lastBad = { ...bad, error: parsed.error };
            continue;
          }
          try {
            deliver(parsed.offset < checkedUntil ? (parsed.value as T) : check(parsed.value), parsed.line, { offset: parsed.offset, length: parsed.length });
          } catch (error) {
            // Well-formed JSON of the wrong shape is not what a torn write looks like.
            middleBad ??= { ...bad, error: `does not match the record schema: ${describeError(error)}` };
          }
        }
      }
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
      existed = false;
    }

    if (middleBad) {
      log.failure = new StoreError(
        `${file} line ${middleBad.line} is corrupt (${middleBad.error}), and it is not the last line, so it is not a write cut short by a crash.`,
        `The log is read-only until it is repaired: fix or delete line ${middleBad.line} (or move the file aside), then restart the daemon.`,
        'read-only',
      );
      log.logger.error(log.failure.logLine);
      return log;
    }
    if (lastBad) {
      const aside = await setAsideTail(file, lastBad.offset, options.asideDir ?? path.dirname(file));
      log.setAside.push(aside.path);
      log.lineCount = lastBad.line - 1;
      log.logger.warn(
        `${file}: the last line (${lastBad.line}) was torn by a crash (${lastBad.error}); moved its ${formatCount(aside.bytes)} bytes to ${aside.path} and kept everything before it.`,
      );
    }

    log.handle = await openNoFollow(file, 'a+'); // a+: the last byte is read below
    if (!existed) await fsyncDir(path.dirname(file));
    const { size } = await log.handle.stat();
    log.bytes = size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await log.handle.read(last, 0, 1, size - 1);
      log.needsNewline = last[0] !== 0x0a;
    }
    return log;
  }

  get state(): AppendLogState {
    if (this.closed) return 'closed';
    if (this.failure) return this.failure.failure === 'read-only' ? 'read-only' : 'failed';
    return 'open';
  }

  /** Why appends are refused, if they are. */
  get error(): StoreError | undefined {
    return this.failure;
  }

  /**
   * How far the log is known to be whole and loaded, to resume reading from later (`resumeAt`).
   * Undefined after a failed write: lines it left may be on disk that no caller has seen.
   */
  get end(): { offset: number; line: number } | undefined {
    return this.resumable && !this.failure && !this.needsNewline ? { offset: this.bytes, line: this.lineCount + 1 } : undefined;
  }

  /** Commits (write + fsync) so far; fewer than appends when group commit batched them. */
  get syncs(): number {
    return this.commits.commits;
  }

  /** Resolves once the records are written and fsynced, with where each one's line is. */
  async append(records: readonly T[]): Promise<RecordAt[]> {
    if (this.closed) throw new StoreError(`${this.path} is closed.`, 'This is a bug in the daemon; restart it.', 'failed');
    if (this.failure && !(await this.recover())) throw this.failure;
    if (records.length === 0) return [];
    const lines = records.map((record, i) => {
      const line = JSON.stringify(record);
      if (typeof line !== 'string') throw new StoreError(`record ${i} cannot be written as JSON.`, 'Pass plain JSON data.', 'invalid');
      if (Buffer.byteLength(line) > this.maxLineBytes) {
        throw new StoreError(`record ${i} is ${formatCount(Buffer.byteLength(line))} bytes; the limit is ${formatCount(this.maxLineBytes)}.`, 'Make the record smaller.', 'invalid');
      }
      return line;
    });
    let offset = await this.commits.submit(Buffer.from(lines.join('\n') + '\n', 'utf8'));
    return lines.map((line) => {
      const length = Buffer.byteLength(line);
      const at = { offset, length };
      offset += length + 1;
      return at;
    });
  }

  /** Waits for appends in flight, then closes the file. */
  async close(): Promise<void> {
    await this.commits.idle();
    this.closed = true;
    await this.handle?.close();
    this.handle = undefined;
  }

  /** Writes and fsyncs the items as one; returns the offset where each item starts. */
  private async commit(items: Buffer[]): Promise<number[]> {
    if (this.failure) await this.recover();
    if (this.failure) throw this.failure;
    if (!this.handle) throw new StoreError(`${this.path} is closed.`, 'This is a bug in the daemon; restart it.', 'failed');
    const bytes = Buffer.concat(this.needsNewline ? [NEWLINE, ...items] : items);
    try {
      await this.io.write(this.handle, bytes);
      await this.io.sync(this.handle);
    } catch (error) {
      this.failure = storageFault(this.path, error);
      this.logger.error(this.failure.logLine);
      throw this.failure;
    }
    let start = this.bytes + (this.needsNewline ? 1 : 0);
    this.needsNewline = false;
    this.bytes += bytes.length;
    for (const item of items) for (let nl = item.indexOf(0x0a); nl !== -1; nl = item.indexOf(0x0a, nl + 1)) this.lineCount++;
    return items.map((item) => {
      const at = start;
      start += item.length;
      return at;
    });
  }

  /**
   * After a failed write or fsync (not a corrupt file): once a probe write succeeds, drop the old
   * handle, set aside whatever the failed write left after the last newline, and reopen. The
   * failed fsync is never retried. Returns true when the log takes appends again.
   */
  async recover(): Promise<boolean> {
    if (!this.failure) return true;
    if (this.failure.failure !== 'failed' || this.closed || !this.probes.due()) return false;
    try {
      await probeWritable(path.dirname(this.path), this.io);
      await this.handle?.close().catch(() => undefined);
      this.handle = undefined;
      const { size } = await fsp.stat(this.path);
      const end = await lastNewlineEnd(this.path, size);
      if (end < size) {
        const aside = await setAsideTail(this.path, end, path.dirname(this.path));
        this.setAside.push(aside.path);
        this.logger.warn(`${this.path}: a failed write left ${formatCount(size - end)} bytes after the last full line; moved them to ${aside.path}.`);
      }
      this.handle = await openNoFollow(this.path, 'a+');
      this.needsNewline = false;
      // Whole lines the failed write left stay (no caller saw them acknowledged): appends go on after them.
      this.bytes = end;
      this.resumable = false;
    } catch (error) {
      this.failure = storageFault(this.path, error);
      return false;
    }
    this.logger.info(`${this.path}: writes succeed again; appends resumed.`);
    this.failure = undefined;
    return true;
  }
}
