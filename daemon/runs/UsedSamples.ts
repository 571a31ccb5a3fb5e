// Which samples a landed model version has trained on, so the threshold counts afresh after
// each version (data/.flywheel/used.jsonl).
import { LatestById } from '../assess/LatestById';
import type { StoreLogger } from '../store/logger';

interface UsedRecord {
  id: string;
  version: string;
  at: string;
}

function check(value: unknown): UsedRecord {
  const r = value as Partial<UsedRecord> | null;
  if (!r || typeof r.id !== 'string' || typeof r.version !== 'string' || typeof r.at !== 'string') throw new Error('expected {id, version, at}');
  return r as UsedRecord;
}

export class UsedSamples {
  readonly ids = new Set<string>();

  private constructor(private readonly book: LatestById<UsedRecord>) {
    for (const id of book.keys()) this.ids.add(id);
  }

  static async open(stateDir: string, logger: StoreLogger): Promise<UsedSamples> {
    return new UsedSamples(await LatestById.open(stateDir, 'used.jsonl', check, logger));
  }

  async mark(ids: Iterable<string>, version: string): Promise<void> {
    const at = new Date().toISOString();
    const records = [...ids].map((id) => ({ id, version, at }));
    await this.book.record(records);
    for (const r of records) this.ids.add(r.id);
  }

  close(): Promise<void> {
    return this.book.close();
  }
}
