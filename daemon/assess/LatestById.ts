// An append-only journal of records keyed by sample id, where the latest record per id wins.
// Assessments and annotations both live in one of these beside the dataset, never inside
// the user's training lines.
import * as path from 'node:path';
import { AppendLog, type SchemaCheck } from '../store/AppendLog';
import type { StoreLogger } from '../store/logger';
import { checkedJournalEnd, saveJournalEnd } from '../store/savedIndexes';

export class LatestById<T extends { id: string }> {
  /** How far the journal was noted as checked in state.db. */
  private noted: number | undefined;
  private recorded = 0;

  private constructor(
    private readonly log: AppendLog<T>,
    private readonly latest: Map<string, T>,
    private readonly stateDir: string,
    private readonly logger: StoreLogger,
  ) {}

  static async open<T extends { id: string }>(stateDir: string, fileName: string, check: SchemaCheck<T>, logger: StoreLogger): Promise<LatestById<T>> {
    const latest = new Map<string, T>();
    const file = path.join(stateDir, fileName);
    // Records an earlier start already checked skip the schema check (a third of a big journal's load).
    const checkedUntil = await checkedJournalEnd(stateDir, file, logger);
    const log = await AppendLog.open(file, check, { logger, onRecord: (r) => latest.set(r.id, r), checkedUntil });
    const book = new LatestById(log, latest, stateDir, logger);
    book.noted = checkedUntil;
    await book.noteEnd();
    return book;
  }

  get(id: string): T | undefined {
    return this.latest.get(id);
  }

  keys(): string[] {
    return [...this.latest.keys()];
  }

  get size(): number {
    return this.latest.size;
  }

  /** Goes up with every record(): what was derived from the records is stale when it moved. */
  get changes(): number {
    return this.recorded;
  }

  async record(items: T[]): Promise<void> {
    if (items.length === 0) return;
    await this.log.append(items);
    for (const r of items) this.latest.set(r.id, r);
    this.recorded++;
  }

  async close(): Promise<void> {
    await this.log.close();
    await this.noteEnd();
  }

  private async noteEnd(): Promise<void> {
    const end = this.log.end?.offset;
    if (end === this.noted) return;
    await saveJournalEnd(this.stateDir, this.log.path, end, this.logger);
    this.noted = end;
  }
}
