// The training dataset: a JSONL file the user may also edit. The store only ever appends to it,
// never rewrites a user's line (invalid ones are reported by number), and checks before each
// append that the file is still the one it indexed: the editor is a second writer that takes no
// locks. Every accepted sample is also journaled in stateDir/accepted.jsonl, which only the
// daemon writes, so it knows what it accepted whatever the user does to the dataset.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sample } from '../judge/types';
import { acceptedJournalPath, openAcceptedJournal, type AcceptedRecord } from './acceptedJournal';
import { nodeIO, type AppendIO, type AppendLog } from './AppendLog';
import { fsyncDir } from './atomicWrite';
import { DatasetIndex, type InvalidLine } from './DatasetIndex';
import { describeError, formatCount, isErrno, StoreError } from './errors';
import { watchFile } from './fileWatch';
import { fingerprintOf, sameFingerprint, type Fingerprint } from './fingerprint';
import { GroupCommit } from './groupCommit';
import type { IdSlots } from './IdSlots';
import { loadSampleIds } from './sampleIds';
import type { SlotFlags } from './SlotFlags';
import { DEFAULT_MAX_LINE_BYTES, readJsonlFile } from './jsonlLines';
import { silentLogger, type StoreLogger } from './logger';
import type { SampleRecord } from './sampleCheck';
import { Serial } from './serial';
import { loadSaved, restoreAccepted, restoreIndex, saveIndexes } from './savedIndexes';
import { serializeSample, type SerializedSample } from './serializeSample';
import { setAsideTail } from './tornTail';
import { ProbeClock, probeWritable, storageFault } from './storageProbe';
import { DomainError } from '../errors/DomainError';
import { mkdirNoFollow, openNoFollow, refuseLink } from '../workspace/noFollow';

export interface DatasetStoreOptions {
  datasetPath: string;
  /** The daemon's own folder: the accepted-samples journal and set-aside torn tails go here. */
  stateDir: string;
  maxLineBytes?: number;
  logger?: StoreLogger;
  io?: AppendIO;
  /** After another program changed the file, it must stay unchanged this long before the store appends (an editor may still be saving). */
  settleMs?: number;
  watchDebounceMs?: number;
  /** The workspace's numbering of sample ids, shared with the assessments (default: the one saved in state.db). */
  ids?: IdSlots;
}

export interface AppendResult {
  /** Ids written by this call. */
  appended: string[];
  /** Ids not written: already in the dataset, accepted before, or repeated in the batch. */
  duplicates: string[];
}

export interface DatasetEntry {
  line: number;
  id: string;
  sample: SampleRecord;
}

export type { AcceptedRecord } from './acceptedJournal';

/** What another program did to the dataset: only appended these samples, or (undefined) anything. */
export interface DatasetChange {
  appended?: string[];
}

export class DatasetStore {
  /** Torn tails moved aside when the dataset or the journal was opened. */
  readonly setAside: string[] = [];
  private fault: StoreError | undefined;
  private readonly faultListeners = new Set<() => void>();
  private closed = false;
  private quiet = true;
  private readonly serial = new Serial();
  private readonly commits = new GroupCommit<SerializedSample[], AppendResult>((batches) => this.serial.run(() => this.commit(batches)));
  private readonly listeners = new Set<(change: DatasetChange) => void>();
  private watcher: { close(): void } | undefined;
  private readonly probes = new ProbeClock();
  /** The dataset and journal state last saved: close saves again only if they moved on. */
  private savedAt: { fingerprint: Fingerprint | null; journal: number | undefined } | undefined;

  private constructor(
    readonly datasetPath: string,
    private index: DatasetIndex,
    private readonly journal: AppendLog<AcceptedRecord>,
    private readonly accepted: SlotFlags,
    private readonly options: Required<Omit<DatasetStoreOptions, 'datasetPath' | 'stateDir' | 'ids'>>,
    private readonly stateDir: string,
    /** The workspace's numbering of sample ids (sampleIds.ts). */
    readonly sampleIds: IdSlots,
  ) {}

  static async open(options: DatasetStoreOptions): Promise<DatasetStore> {
    // Field by field: an option passed as undefined still gets its default.
    const opts = {
      datasetPath: options.datasetPath,
      stateDir: options.stateDir,
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      logger: options.logger ?? silentLogger,
      io: options.io ?? nodeIO,
      settleMs: options.settleMs ?? 150,
      watchDebounceMs: options.watchDebounceMs ?? 100,
    };
    const { datasetPath, stateDir, logger } = opts;
    await mkdirNoFollow(stateDir);
    await refuseLink(datasetPath);
    const setAside: string[] = [];
    // What the last run saved, when the files are as it left them (or only grew): read no more than the change.
    const ids = options.ids ?? loadSampleIds(stateDir, logger);
    const saved = loadSaved(stateDir, logger);
    const restored = await restoreIndex(saved.index, datasetPath, opts.maxLineBytes, logger, ids);
    const index = restored?.index ?? (await indexSettingAsideTornTail(datasetPath, stateDir, opts.maxLineBytes, logger, setAside, ids));
    const savedIds = await restoreAccepted(saved.accepted, acceptedJournalPath(stateDir), opts.maxLineBytes, ids);
    const { journal, accepted } = await openAcceptedJournal(stateDir, opts, ids, savedIds);
    const { stateDir: _, datasetPath: __, ...rest } = opts;
    const store = new DatasetStore(datasetPath, index, journal, accepted, rest, stateDir, ids);
    store.setAside.push(...setAside, ...journal.setAside);
    store.failure = journal.error;
    const readFully = !restored || !savedIds;
    const dataset = restored
      ? `${index.size - restored.appended.length} samples from the saved index${restored.appended.length ? `, and ${restored.appended.length} appended since, read on their own` : ''}`
      : `read in full (${index.size} samples); no saved index matched it`;
    logger.info(`${datasetPath}: ${dataset}; accepted ids ${savedIds ? 'from the saved index' : 'read from the journal'}`);
    const grew = (restored?.appended.length ?? 0) > 0 || (savedIds && journal.end?.offset !== savedIds.resumeAt.offset);
    // Saved now, not only on close: a start after a crash then reads just what changed since.
    if (readFully || grew) await store.saveIndexes();
    else store.savedAt = { fingerprint: index.fingerprint, journal: savedIds.resumeAt.offset };
    return store;
  }

  /** Saves the dataset index and the accepted ids for the next start (see savedIndexes.ts). */
  private async saveIndexes(): Promise<void> {
    const journalEnd = this.journal.end;
    await saveIndexes(this.stateDir, this.options.logger, {
      datasetFile: this.datasetPath,
      index: this.index,
      journalFile: acceptedJournalPath(this.stateDir),
      journalEnd,
      accepted: this.accepted,
      ids: this.sampleIds,
      maxLineBytes: this.options.maxLineBytes,
    });
    this.savedAt = { fingerprint: this.index.fingerprint, journal: journalEnd?.offset };
  }

  /** Valid sample lines in the dataset. */
  get size(): number {
    return this.index.size;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** Ids of the valid lines, in file order (a sample the user pasted twice appears twice). */
  ids(): string[] {
    return this.index.ids();
  }

  /** Each valid line's sample as its slot in `sampleIds`, in file order, as of the last re-index (see refresh); do not change it. */
  lineSlots(): Uint32Array {
    return this.index.lineSlots();
  }

  /** Whether a line holds the sample with this slot of `sampleIds`. */
  hasSlot(slot: number): boolean {
    return this.index.hasSlot(slot);
  }

  /** Lines that are not valid samples, with what is wrong (at most 10,000; see invalidCount). */
  invalidLines(): InvalidLine[] {
    return this.index.invalid.slice();
  }

  get invalidCount(): number {
    return this.index.invalidCount;
  }

  /** Valid lines repeating an earlier line's sample (the user's; the store never writes one). */
  get duplicateLines(): number {
    return this.index.duplicateLines;
  }

  /** Whether the store ever accepted this sample, even if the user has since removed it. */
  wasAccepted(id: string): boolean {
    return this.accepted.has(this.sampleIds.slotOf(id));
  }

  /** Accepted samples no longer in the dataset: removed by the user, or lost to an editor's save. */
  acceptedMissing(): string[] {
    return [...this.accepted.slots()].filter((slot) => !this.index.hasSlot(slot)).map((slot) => this.sampleIds.idAt(slot));
  }

  /** Every change goes through here, so listeners hear when appends start or stop being refused. */
  private get failure(): StoreError | undefined {
    return this.fault;
  }

  private set failure(value: StoreError | undefined) {
    const changed = !value !== !this.fault;
    this.fault = value;
    if (!changed) return;
    for (const listener of this.faultListeners) {
      try {
        listener();
      } catch (error) {
        this.options.logger.warn(`a storage fault listener failed: ${describeError(error)}`);
      }
    }
  }

  /** Calls `listener` when the store enters a storage fault (appends refused) and when it heals. */
  onFaultChange(listener: () => void): { dispose(): void } {
    this.faultListeners.add(listener);
    return { dispose: () => void this.faultListeners.delete(listener) };
  }

  /** 'open', or why appends are refused. */
  get state(): 'open' | 'read-only' | 'failed' {
    return this.failure ? (this.failure.failure === 'read-only' ? 'read-only' : 'failed') : 'open';
  }

  get error(): StoreError | undefined {
    return this.failure;
  }

  /** Commits so far (one dataset write + fsync each); fewer than appends under group commit. */
  get syncs(): number {
    return this.commits.commits;
  }

  /**
   * Append samples; resolves once they are fsynced to the dataset and the journal. A sample already
   * in the dataset, accepted before (even if since removed by the user) or repeated in the batch is
   * reported as a duplicate and not written. Throws StoreError 'invalid' for a malformed sample
   * before anything is written.
   */
  async append(samples: readonly Sample[]): Promise<AppendResult> {
    if (this.closed) throw new StoreError(`${this.datasetPath} is closed; nothing was appended.`, 'This is a bug in the daemon; restart it.', 'failed');
    if (this.failure && !(await this.serial.run(() => this.recover()))) throw this.failure;
    const prepared = samples.map((sample, i) => serializeSample(sample, i, this.options.maxLineBytes));
    if (prepared.length === 0) return { appended: [], duplicates: [] };
    return this.commits.submit(prepared);
  }

  /** Valid samples `offset`..`offset+limit` (by position among valid lines), read from disk by byte offset. */
  entries(offset: number, limit: number): Promise<DatasetEntry[]> {
    return this.serial.run(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        await this.refreshIfChanged();
        const from = Math.max(0, Math.floor(offset));
        const to = Math.min(this.index.size, from + Math.max(0, Math.floor(limit)));
        if (from >= to) return [];
        const wanted = new Map<number, string>();
        for (let i = from; i < to; i++) {
          const entry = this.index.entry(i);
          wanted.set(entry.line, entry.id);
        }
        const first = this.index.entry(from);
        const last = this.index.entry(to - 1);
        const out: DatasetEntry[] = [];
        try {
          const range = { maxLineBytes: this.options.maxLineBytes, start: first.offset, end: last.offset + last.length, firstLine: first.line };
          for await (const line of readJsonlFile(this.datasetPath, range)) {
            const id = wanted.get(line.line);
            if (id === undefined) continue;
            if (line.id !== id || !line.sample) break; // changed under us since the stat
            out.push({ line: line.line, id, sample: line.sample });
          }
        } catch (error) {
          if (!isErrno(error, 'ENOENT')) throw error;
        }
        if (out.length === to - from) return out;
        await this.reindexLocked();
      }
      throw new StoreError(`${this.datasetPath} kept changing while it was being read.`, 'Another program is rewriting it; try again when it is done.', 'busy');
    });
  }

  /** The first line holding this sample, read from disk at its byte offset. */
  async entryOf(id: string): Promise<DatasetEntry | undefined> {
    const position = this.index.positionOf(id);
    if (position === undefined) return undefined;
    const [entry] = await this.entries(position, 1);
    // Re-indexed meanwhile (an outside edit): the position may hold another sample now.
    if (entry?.id === id) return entry;
    const again = this.index.positionOf(id);
    return again === undefined ? undefined : (await this.entries(again, 1)).find((e) => e.id === id);
  }

  /** Re-index if another program changed the file since it was read (true when it had). */
  refresh(): Promise<boolean> {
    return this.serial.run(() => this.refreshIfChanged());
  }

  /** Re-read the whole file now. */
  reindex(): Promise<void> {
    return this.serial.run(() => this.reindexLocked());
  }

  /**
   * Call `onChange` (debounced) after another program changed the dataset; the store has
   * re-indexed by then. The store's own appends do not count.
   */
  watch(onChange: (change: DatasetChange) => void): { dispose(): void } {
    this.listeners.add(onChange);
    this.startWatcher();
    return {
      dispose: () => {
        this.listeners.delete(onChange);
        if (this.listeners.size === 0) this.stopWatcher();
      },
    };
  }

  /** Refuses new appends, lets those in flight finish, then closes the journal. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.stopWatcher();
    await this.commits.idle();
    await this.serial.run(async () => {
      const moved = !this.savedAt || !sameFingerprint(this.savedAt.fingerprint, this.index.fingerprint) || this.savedAt.journal !== this.journal.end?.offset;
      if (moved && !this.failure) await this.saveIndexes();
    });
    await this.journal.close();
  }

  private async commit(batches: SerializedSample[][]): Promise<AppendResult[]> {
    if (this.failure && !(await this.recover())) throw this.failure;
    await this.waitUntilQuiet();
    const seen = new Set<string>();
    const toWrite: SerializedSample[] = [];
    const results = batches.map((batch) => {
      const result: AppendResult = { appended: [], duplicates: [] };
      for (const p of batch) {
        if (this.index.has(p.id) || this.wasAccepted(p.id) || seen.has(p.id)) {
          result.duplicates.push(p.id);
        } else {
          seen.add(p.id);
          result.appended.push(p.id);
          toWrite.push(p);
        }
      }
      return result;
    });
    if (toWrite.length === 0) return results;
    try {
      await this.write(toWrite);
    } catch (error) {
      // An open, stat or mkdir that fails (ENOSPC, EIO) is a storage fault too, never "internal".
      if (error instanceof DomainError) throw error;
      this.failure = this.failed(error);
      throw this.failure;
    }
    const at = new Date().toISOString();
    try {
      await this.journal.append(toWrite.map((p) => ({ id: p.id, at, sample: p.sample })));
    } catch (error) {
      // Without the journal the store cannot know what it accepted: stop accepting.
      this.failure = error instanceof StoreError ? error : this.failed(error);
      throw this.failure;
    }
    for (const p of toWrite) this.accepted.set(this.sampleIds.add(p.id), true);
    return results;
  }

  /** Append `pending` to the file it indexed; never onto a file changed since (re-index first). */
  private async write(pending: SerializedSample[]): Promise<void> {
    const dir = path.dirname(this.datasetPath);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 5) throw new StoreError(`${this.datasetPath} kept changing while samples were appended; they were not stored.`, 'Another program is writing to it: close it or wait, then send them again.', 'busy');
      if (attempt > 1) await this.waitUntilQuiet();
      const created = this.index.fingerprint === null;
      await fsp.mkdir(dir, { recursive: true });
      const handle = await openNoFollow(this.datasetPath, 'a');
      try {
        const before = fingerprintOf(await handle.stat());
        if (!sameFingerprint(before, this.index.fingerprint) && !(created && before.size === 0)) continue;
        const prefix = this.index.endsWithNewline ? '' : '\n';
        const bytes = Buffer.from(prefix + pending.map((p) => `${p.text}\n`).join(''), 'utf8');
        try {
          await this.options.io.write(handle, bytes);
          await this.options.io.sync(handle);
          if (created) await fsyncDir(dir);
        } catch (error) {
          this.failure = this.failed(error);
          throw this.failure;
        }
        const after = fingerprintOf(await handle.stat());
        if (after.size === before.size + bytes.length) {
          let offset = before.size + prefix.length;
          for (const p of pending) {
            const length = Buffer.byteLength(p.text, 'utf8');
            this.index.add({ line: ++this.index.lineCount, offset, length, id: p.id });
            offset += length + 1;
          }
          this.index.endsWithNewline = true;
          this.index.fingerprint = after;
          this.index.appendedBytes(bytes);
          return;
        }
        // Someone wrote at the same moment: re-read and write again whatever of ours is missing.
        this.options.logger.warn(`${this.datasetPath} was written by another program during an append; re-indexing to check nothing was lost.`);
        await this.reindexLocked();
        pending = pending.filter((p) => !this.index.has(p.id));
      } finally {
        await handle.close();
      }
    }
  }

  private failed(error: unknown): StoreError {
    const failure = storageFault(this.datasetPath, error, 'Appending to');
    this.options.logger.error(failure.logLine);
    return failure;
  }

  /**
   * After a failed write or fsync (never after corruption): once a probe write in the dataset's
   * folder succeeds, heal the journal, re-read the dataset (setting aside what the failed write
   * left) and take appends again. Returns true when the store is open again.
   */
  private async recover(): Promise<boolean> {
    if (!this.failure) return true;
    if (this.failure.failure !== 'failed' || this.closed || !this.probes.due()) return false;
    try {
      await probeWritable(path.dirname(this.datasetPath), this.options.io);
      if (this.journal.error && !(await this.journal.recover())) throw this.journal.error;
      this.index = await indexSettingAsideTornTail(this.datasetPath, this.stateDir, this.options.maxLineBytes, this.options.logger, this.setAside, this.sampleIds);
    } catch (error) {
      this.failure = error instanceof StoreError ? error : storageFault(this.datasetPath, error, 'Appending to');
      return false;
    }
    this.options.logger.info(`${this.datasetPath}: writes succeed again; appends resumed.`);
    this.failure = undefined;
    return true;
  }

  /** Re-index if the file changed, then wait until it has been left alone for settleMs. */
  private async waitUntilQuiet(): Promise<void> {
    for (let round = 0; ; round++) {
      await this.refreshIfChanged();
      const fp = this.index.fingerprint;
      if (this.quiet || !fp) return;
      if (Date.now() - fp.mtimeMs >= this.options.settleMs) break;
      if (round >= 50) throw new StoreError(`${this.datasetPath} keeps changing; nothing was appended.`, 'Another program is writing to it: close it or wait, then send the samples again.', 'busy');
      await sleep(this.options.settleMs);
      // The mtime may be in the future (clock skew): an unchanged file after the wait is quiet too.
      if (sameFingerprint(await this.stat(), fp)) break;
    }
    this.quiet = true;
  }

  private async refreshIfChanged(): Promise<boolean> {
    if (sameFingerprint(await this.stat(), this.index.fingerprint)) return false;
    this.options.logger.info(`${this.datasetPath} was changed by another program; re-indexing it.`);
    await this.reindexLocked();
    return true;
  }

  private async reindexLocked(): Promise<void> {
    const previous = this.index.fingerprint;
    // Lines appended by another program (a script, git) are read on their own; any other change re-reads the file.
    const appended = await this.index.readAppended(this.datasetPath, this.options.maxLineBytes);
    if (!appended) this.index = await DatasetIndex.build(this.datasetPath, this.options.maxLineBytes, this.sampleIds);
    if (!sameFingerprint(previous, this.index.fingerprint)) {
      this.quiet = false;
      // After the lock is released: a listener may call back into the store.
      setImmediate(() => this.notify({ appended }));
    }
  }

  private async stat(): Promise<Fingerprint | null> {
    try {
      return fingerprintOf(await fsp.stat(this.datasetPath));
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    }
  }

  private notify(change: DatasetChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.logger.warn(`a dataset change listener failed: ${describeError(error)}`);
      }
    }
  }

  private startWatcher(): void {
    this.watcher ??= watchFile(
      this.datasetPath,
      this.options.watchDebounceMs,
      () => {
        this.serial.run(() => this.refreshIfChanged()).catch((error) => this.options.logger.warn(`re-indexing ${this.datasetPath} failed: ${describeError(error)}`));
      },
      this.options.logger,
    );
  }

  private stopWatcher(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}

/**
 * Index the dataset; a last line with no newline that is not even JSON is what a crash (or a
 * failed write) mid-append leaves: it is moved aside first. A valid last line without newline is
 * the user's and stays; it just gets its newline later.
 */
async function indexSettingAsideTornTail(datasetPath: string, stateDir: string, maxLineBytes: number, logger: StoreLogger, setAside: string[], ids: IdSlots): Promise<DatasetIndex> {
  const index = await DatasetIndex.build(datasetPath, maxLineBytes, ids);
  if (!index.tornTail) return index;
  const torn = index.tornTail;
  const aside = await setAsideTail(datasetPath, torn.offset, stateDir);
  setAside.push(aside.path);
  logger.warn(
    `${datasetPath}: line ${torn.line} had no newline and was not valid (${torn.error}), as a crash mid-append leaves it; moved its ${formatCount(aside.bytes)} bytes to ${aside.path} and kept everything before it.`,
  );
  return DatasetIndex.build(datasetPath, maxLineBytes, ids);
}
