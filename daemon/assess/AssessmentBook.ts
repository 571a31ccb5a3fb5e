// Every sample's latest assessment: the journal (assessments.jsonl, the source of truth) plus the
// briefs the verdict passes read from memory (AssessmentBriefs). A whole record, with its
// rationale, is read from its line when one is shown. The briefs are saved in state.db, so a
// start reads only the records appended since (all of them when there is no usable saved state).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assessment as assessmentSchema, type Assessment } from '../protocol';
import { describeError, StoreError } from '../store/errors';
import type { StoreLogger } from '../store/logger';
import type { IdSlots } from '../store/IdSlots';
import { loadSampleIds } from '../store/sampleIds';
import { SavedJournal } from '../store/SavedJournal';
import { openNoFollowSync } from '../workspace/noFollow';
import { AssessmentBriefs, type AssessmentBrief, type BriefView } from './AssessmentBriefs';

const FILE = 'assessments.jsonl';
const SAVED_AS = 'assessments';

export class AssessmentBook {
  private constructor(
    private readonly journal: SavedJournal<Assessment, AssessmentBriefs>,
    /** A read-only descriptor for reading records at their offsets. */
    private readonly reader: number,
    /** The workspace's numbering of sample ids the briefs are indexed by. */
    readonly ids: IdSlots,
  ) {}

  /** `ids`: the workspace's numbering of sample ids, shared with the dataset store (default: the one saved in state.db). */
  static async open(stateDir: string, logger: StoreLogger, ids = loadSampleIds(stateDir, logger)): Promise<AssessmentBook> {
    const file = path.join(stateDir, FILE);
    const journal = await SavedJournal.open({
      stateDir,
      file,
      savedAs: SAVED_AS,
      check: (v) => assessmentSchema.parse(v),
      ids,
      logger,
      empty: () => new AssessmentBriefs(ids),
      restore: (state, parts) => AssessmentBriefs.fromSaved(state, parts, ids),
      describe: (briefs) => `${briefs.size} assessed samples`,
    });
    return new AssessmentBook(journal, openNoFollowSync(file, 'r'), ids);
  }

  private get briefs(): AssessmentBriefs {
    return this.journal.derived;
  }

  get size(): number {
    return this.briefs.size;
  }

  has(id: string): boolean {
    return this.briefs.has(id);
  }

  /** has() of the sample with this slot of the workspace's numbering. */
  hasAt(slot: number): boolean {
    return this.briefs.hasAt(slot);
  }

  viewAt(slot: number): BriefView | undefined {
    return this.briefs.viewAt(slot);
  }

  scoreAt(slot: number, criterion: string): number | undefined {
    return this.briefs.scoreAt(slot, criterion);
  }

  briefAt(slot: number): AssessmentBrief | undefined {
    return this.briefs.briefAt(slot);
  }

  /** The sample's slot in the workspace's numbering (-1: never seen). */
  slotOf(id: string): number {
    return this.ids.slotOf(id);
  }

  /** What the sample's verdict is decided from, from memory. */
  brief(id: string): AssessmentBrief | undefined {
    return this.briefs.brief(id);
  }

  /** brief() without building it: valid until the next call (AssessmentBriefs.view). */
  view(id: string): BriefView | undefined {
    return this.briefs.view(id);
  }

  /** The whole recorded assessment, read from its line in the journal. */
  get(id: string): Assessment | undefined {
    const where = this.briefs.whereIs(id);
    if (!where) return undefined;
    const bytes = Buffer.allocUnsafe(where.length);
    try {
      for (let got = 0; got < bytes.length; ) {
        const n = fs.readSync(this.reader, bytes, got, bytes.length - got, where.offset + got);
        if (n === 0) throw new Error('the file ends before the record');
        got += n;
      }
      const record = JSON.parse(bytes.toString('utf8')) as Assessment;
      if (record.id !== id) throw new Error(`the record there is for sample ${record.id}`);
      return record;
    } catch (error) {
      throw new StoreError(
        `${this.journal.log.path}: the assessment of sample ${id} at byte ${where.offset} cannot be read (${describeError(error)}); the file was changed while the daemon ran.`,
        'Only the daemon writes this journal: put back the file it had (or move it aside to judge every sample again), then restart the daemon.',
        'failed',
      );
    }
  }

  /** Appends the records (one write and fsync), then keeps their briefs. */
  record(items: Assessment[]): Promise<void> {
    return this.journal.record(items);
  }

  async close(): Promise<void> {
    await this.journal.close();
    fs.closeSync(this.reader);
  }
}
