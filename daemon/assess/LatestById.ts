// An append-only journal of records keyed by sample id, where the latest record per id wins.
// Assessments and annotations both live in one of these beside the dataset, never inside
// the user's training lines.
import * as path from 'node:path';
import { AppendLog, type SchemaCheck } from '../store/AppendLog';
import type { StoreLogger } from '../store/logger';

export class LatestById<T extends { id: string }> {
  private readonly latest = new Map<string, T>();

  private constructor(private readonly log: AppendLog<T>) {}

  static async open<T extends { id: string }>(stateDir: string, fileName: string, check: SchemaCheck<T>, logger: StoreLogger): Promise<LatestById<T>> {
    const loaded = new Map<string, T>();
    const log = await AppendLog.open(path.join(stateDir, fileName), check, { logger, onRecord: (r) => loaded.set(r.id, r) });
    const book = new LatestById(log);
    for (const [id, r] of loaded) book.latest.set(id, r);
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

  async record(items: T[]): Promise<void> {
    if (items.length === 0) return;
    await this.log.append(items);
    for (const r of items) this.latest.set(r.id, r);
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
