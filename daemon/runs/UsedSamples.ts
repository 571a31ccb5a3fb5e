// Which samples a landed model version has trained on, so the threshold counts afresh after
// each version (data/.flywheel/used.jsonl). After a landing at a million samples that is a million
// records: they are kept as a byte per sample slot (the workspace's numbering of ids), saved in
// state.db, so neither the heap nor a start grows with them.
import * as path from 'node:path';
import type { RecordAt } from '../store/AppendLog';
import type { IdSlots } from '../store/IdSlots';
import type { StoreLogger } from '../store/logger';
import { loadSampleIds } from '../store/sampleIds';
import { SavedJournal, type Derived } from '../store/SavedJournal';
import { SlotFlags } from '../store/SlotFlags';

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

/** The used samples, by slot. */
class UsedFlags implements Derived<UsedRecord> {
  constructor(
    private readonly ids: IdSlots,
    readonly flags = new SlotFlags(),
  ) {}

  put(record: UsedRecord, _where: RecordAt): void {
    this.flags.set(this.ids.add(record.id), true);
  }

  toSaved(): { state: object; parts: Record<string, Buffer> } {
    return { state: { count: this.flags.count }, parts: { flags: this.flags.toBytes(this.ids.size) } };
  }

  static fromSaved(state: unknown, parts: Record<string, Buffer>, ids: IdSlots): UsedFlags {
    const count = (state as { count?: unknown } | null)?.count;
    if (!parts.flags || parts.flags.length > ids.size) throw new Error('its flags do not fit the numbering');
    const flags = SlotFlags.fromBytes(parts.flags);
    if (flags.count !== count) throw new Error(`it says ${String(count)} used samples but holds ${flags.count}`);
    return new UsedFlags(ids, flags);
  }
}

export class UsedSamples {
  private constructor(
    private readonly journal: SavedJournal<UsedRecord, UsedFlags>,
    private readonly ids: IdSlots,
  ) {}

  /** `ids`: the workspace's numbering of sample ids, shared with the dataset store (default: the one saved in state.db). */
  static async open(stateDir: string, logger: StoreLogger, ids = loadSampleIds(stateDir, logger)): Promise<UsedSamples> {
    const journal = await SavedJournal.open({
      stateDir,
      file: path.join(stateDir, 'used.jsonl'),
      savedAs: 'used',
      check,
      ids,
      logger,
      empty: () => new UsedFlags(ids),
      restore: (state, parts) => UsedFlags.fromSaved(state, parts, ids),
      describe: (used) => `${used.flags.count} samples used by landed versions`,
    });
    return new UsedSamples(journal, ids);
  }

  has(id: string): boolean {
    return this.journal.derived.flags.has(this.ids.slotOf(id));
  }

  /** has() of the sample with this slot of the workspace's numbering. */
  hasAt(slot: number): boolean {
    return this.journal.derived.flags.has(slot);
  }

  get size(): number {
    return this.journal.derived.flags.count;
  }

  async mark(ids: Iterable<string>, version: string): Promise<void> {
    const at = new Date().toISOString();
    await this.journal.record([...ids].map((id) => ({ id, version, at })));
  }

  close(): Promise<void> {
    return this.journal.close();
  }
}
