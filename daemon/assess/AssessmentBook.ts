// Every sample's latest assessment: the journal (assessments.jsonl, the source of truth) plus the
// briefs the verdict passes read from memory (AssessmentBriefs). A whole record, with its
// rationale, is read from its line when one is shown. The briefs are saved in state.db, so a
// start reads only the records appended since (all of them when there is no usable saved state).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assessment as assessmentSchema, type Assessment } from '../protocol';
import { AppendLog } from '../store/AppendLog';
import { describeError, StoreError } from '../store/errors';
import type { StoreLogger } from '../store/logger';
import type { IdSlots } from '../store/IdSlots';
import { loadSampleIds } from '../store/sampleIds';
import { restoreJournalState, saveJournalState } from '../store/savedIndexes';
import { openNoFollowSync } from '../workspace/noFollow';
import { AssessmentBriefs, type AssessmentBrief, type BriefView } from './AssessmentBriefs';

const FILE = 'assessments.jsonl';
const SAVED_AS = 'assessments';

export class AssessmentBook {
  /** Where the journal ended when the briefs were last saved: close saves again only if it moved on. */
  private savedEnd: number | undefined;

  private constructor(
    private readonly log: AppendLog<Assessment>,
    private readonly briefs: AssessmentBriefs,
    /** A read-only descriptor for reading records at their offsets. */
    private readonly reader: number,
    private readonly stateDir: string,
    private readonly logger: StoreLogger,
    /** The workspace's numbering of sample ids the briefs are indexed by. */
    readonly ids: IdSlots,
  ) {}

  /** `ids`: the workspace's numbering of sample ids, shared with the dataset store (default: the one saved in state.db). */
  static async open(stateDir: string, logger: StoreLogger, ids = loadSampleIds(stateDir, logger)): Promise<AssessmentBook> {
    const file = path.join(stateDir, FILE);
    const saved = await restoreJournalState(stateDir, logger, SAVED_AS, file, ids);
    let briefs: AssessmentBriefs | undefined;
    try {
      briefs = saved && AssessmentBriefs.fromSaved(saved.state, saved.parts, ids);
    } catch (error) {
      logger.warn(`the saved index of ${file} is damaged (${describeError(error)}); reading the file instead.`);
    }
    const restored = briefs !== undefined;
    briefs ??= new AssessmentBriefs(ids);
    let read = 0;
    const into = briefs;
    const log = await AppendLog.open(file, (v) => assessmentSchema.parse(v), {
      logger,
      onRecord: (record, _line, where) => {
        read++;
        into.put(record, where);
      },
      ...(restored ? { resumeAt: saved!.resumeAt } : {}),
    });
    const book = new AssessmentBook(log, briefs, openNoFollowSync(file, 'r'), stateDir, logger, ids);
    logger.info(`${file}: ${briefs.size} assessed samples ${restored ? `from the saved index${read ? `, and ${read} record${read === 1 ? '' : 's'} appended since` : ''}` : 'read in full'}`);
    // Saved now, not only on close: a start after a crash then reads only what came since.
    if (restored && read === 0) book.savedEnd = saved!.resumeAt.offset;
    else await book.save();
    return book;
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
        `${this.log.path}: the assessment of sample ${id} at byte ${where.offset} cannot be read (${describeError(error)}); the file was changed while the daemon ran.`,
        'Only the daemon writes this journal: put back the file it had (or move it aside to judge every sample again), then restart the daemon.',
        'failed',
      );
    }
  }

  /** Appends the records (one write and fsync), then keeps their briefs. */
  async record(items: Assessment[]): Promise<void> {
    if (items.length === 0) return;
    const where = await this.log.append(items);
    items.forEach((record, i) => this.briefs.put(record, where[i]));
  }

  async close(): Promise<void> {
    await this.log.close();
    fs.closeSync(this.reader);
    if (this.log.end?.offset !== this.savedEnd) await this.save();
  }

  private async save(): Promise<void> {
    const end = this.log.end;
    await saveJournalState(this.stateDir, this.logger, SAVED_AS, this.log.path, end, this.ids, this.briefs.toSaved());
    this.savedEnd = end?.offset;
  }
}
