// An append-only journal (the source of truth) plus what the daemon derives from its records,
// kept in memory and saved in state.db: a start whose journal only grew since the save reads just
// the records after it; a missing, damaged or mismatched save reads the journal in full. Saved at
// open when records were read (so a start after a crash reads only what came since) and at close.
import { AppendLog, type RecordAt, type SchemaCheck } from './AppendLog';
import { describeError } from './errors';
import type { IdSlots } from './IdSlots';
import type { StoreLogger } from './logger';
import { restoreJournalState, saveJournalState } from './savedIndexes';

/** What is derived from the records: fed each one in order, and saved as a small state plus blobs. */
export interface Derived<T> {
  put(record: T, where: RecordAt): void;
  toSaved(): { state: object; parts: Record<string, Buffer> };
}

export interface SavedJournalOptions<T, D extends Derived<T>> {
  stateDir: string;
  file: string;
  /** Its name in state.db. */
  savedAs: string;
  check: SchemaCheck<T>;
  /** The workspace's numbering of sample ids the derived state refers to. */
  ids: IdSlots;
  logger: StoreLogger;
  empty(): D;
  /** Throws when the saved state does not hold together. */
  restore(state: unknown, parts: Record<string, Buffer>): D;
  /** For the log line, e.g. "1000 assessed samples". */
  describe(derived: D): string;
}

export class SavedJournal<T, D extends Derived<T>> {
  /** Where the journal ended at the last save: close saves again only if it moved on. */
  private savedEnd: number | undefined;

  private constructor(
    readonly log: AppendLog<T>,
    readonly derived: D,
    private readonly o: SavedJournalOptions<T, D>,
  ) {}

  static async open<T, D extends Derived<T>>(o: SavedJournalOptions<T, D>): Promise<SavedJournal<T, D>> {
    const saved = await restoreJournalState(o.stateDir, o.logger, o.savedAs, o.file, o.ids);
    let derived: D | undefined;
    try {
      derived = saved && o.restore(saved.state, saved.parts);
    } catch (error) {
      o.logger.warn(`the saved index of ${o.file} is damaged (${describeError(error)}); reading the file instead.`);
    }
    const restored = derived !== undefined;
    const into = derived ?? o.empty();
    let read = 0;
    const log = await AppendLog.open(o.file, o.check, {
      logger: o.logger,
      onRecord: (record, _line, where) => {
        read++;
        into.put(record, where);
      },
      ...(restored ? { resumeAt: saved!.resumeAt } : {}),
    });
    const journal = new SavedJournal(log, into, o);
    o.logger.info(`${o.file}: ${o.describe(into)} ${restored ? `from the saved index${read ? `, and ${read} record${read === 1 ? '' : 's'} appended since` : ''}` : 'read in full'}`);
    if (restored && read === 0) journal.savedEnd = saved!.resumeAt.offset;
    else await journal.save();
    return journal;
  }

  /** Appends the records (one write and fsync), then derives from them. */
  async record(items: T[]): Promise<void> {
    if (items.length === 0) return;
    const where = await this.log.append(items);
    items.forEach((record, i) => this.derived.put(record, where[i]));
  }

  async close(): Promise<void> {
    await this.log.close();
    if (this.log.end?.offset !== this.savedEnd) await this.save();
  }

  private async save(): Promise<void> {
    const end = this.log.end;
    await saveJournalState(this.o.stateDir, this.o.logger, this.o.savedAs, this.log.path, end, this.o.ids, this.derived.toSaved());
    this.savedEnd = end?.offset;
  }
}
