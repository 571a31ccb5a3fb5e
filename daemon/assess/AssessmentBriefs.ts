// Every sample's latest verdict inputs in typed arrays: what the threshold count, the unjudged and
// outdated scans and the explorer's filters read for each sample (task, judge version, recorded
// verdict, scores, raw scores), and where the whole record is in the journal, indexed by the
// sample's slot in the workspace's numbering of ids (store/sampleIds.ts), so a pass over the
// dataset's lines reaches each verdict by array index. What many records share (task, versions,
// verdict, criterion names) is one "shape"; only the numbers are per sample. A million samples
// cost about 80 MB here, where the records as objects took a gigabyte.
import type { Assessment, Verdict } from '../protocol';
import type { RecordAt } from '../store/AppendLog';
import type { IdSlots } from '../store/IdSlots';
import { Float64List, Uint32List } from '../store/numberLists';

/** What a sample's verdict is decided from, without its rationale. */
export interface AssessmentBrief {
  task: Assessment['task'];
  judgeVersion: string;
  rawVersion?: string;
  /** The verdict as recorded (under the gate of its day). */
  verdict: Verdict;
  scores: Record<string, number>;
  raw?: Record<string, number>;
}

/** What many records share: everything of a brief but the numbers. */
export interface Shape {
  task: Assessment['task'];
  judgeVersion: string;
  rawVersion: string | null;
  verdict: Verdict;
  scores: string[];
  raw: string[] | null;
}

/** Per slot: the record's line length (0: no record), its shape and where its numbers start in `values`. */
const COLUMNS = 3;

const shapeKey = (s: Shape) => JSON.stringify([s.task, s.judgeVersion, s.rawVersion, s.verdict, s.scores, s.raw]);

export interface BriefView {
  shape: Shape;
  values: Float64Array;
  from: number;
}

export class AssessmentBriefs {
  private readonly shapeIndex = new Map<string, number>();
  private readonly scratch: BriefView = { shape: undefined as unknown as Shape, values: new Float64Array(0), from: 0 };

  constructor(
    private readonly ids: IdSlots,
    /** Byte offset of each slot's latest record; slots past the end have none. */
    private readonly at = new Float64List(),
    private readonly columns = new Uint32List(),
    private readonly values = new Float64List(),
    private readonly shapes: Shape[] = [],
    private assessed = 0,
  ) {
    shapes.forEach((s, i) => this.shapeIndex.set(shapeKey(s), i));
  }

  /** Samples with an assessment. */
  get size(): number {
    return this.assessed;
  }

  has(id: string): boolean {
    return this.hasAt(this.ids.slotOf(id));
  }

  hasAt(slot: number): boolean {
    return slot >= 0 && slot < this.at.length && this.columns.at(slot * COLUMNS) !== 0;
  }

  /**
   * The sample's shape and where its numbers are (its scores, then its raw scores, in the shape's
   * name order), building nothing: for passes over a whole dataset. Valid until the next call.
   */
  view(id: string): BriefView | undefined {
    return this.viewAt(this.ids.slotOf(id));
  }

  /** view() of the sample with this slot. */
  viewAt(slot: number): BriefView | undefined {
    if (!this.hasAt(slot)) return undefined;
    const view = this.scratch;
    view.shape = this.shapes[this.columns.at(slot * COLUMNS + 1)];
    const from = this.columns.at(slot * COLUMNS + 2);
    view.values = this.values.arrayOf(from);
    view.from = this.values.indexIn(from);
    return view;
  }

  /** The slot's score on `criterion`, undefined when unjudged or not scored on it. */
  scoreAt(slot: number, criterion: string): number | undefined {
    const view = this.viewAt(slot);
    const i = view ? view.shape.scores.indexOf(criterion) : -1;
    return i < 0 ? undefined : view!.values[view!.from + i];
  }

  brief(id: string): AssessmentBrief | undefined {
    return this.briefAt(this.ids.slotOf(id));
  }

  briefAt(slot: number): AssessmentBrief | undefined {
    if (!this.hasAt(slot)) return undefined;
    const shape = this.shapes[this.columns.get(slot * COLUMNS + 1)];
    let from = this.columns.get(slot * COLUMNS + 2);
    const numbers = (names: string[]) => {
      const out: Record<string, number> = {};
      for (const name of names) out[name] = this.values.get(from++);
      return out;
    };
    const brief: AssessmentBrief = { task: shape.task, judgeVersion: shape.judgeVersion, verdict: shape.verdict, scores: numbers(shape.scores) };
    if (shape.rawVersion !== null) brief.rawVersion = shape.rawVersion;
    if (shape.raw) brief.raw = numbers(shape.raw);
    return brief;
  }

  /** Where the sample's latest record is in the journal. */
  whereIs(id: string): RecordAt | undefined {
    const slot = this.ids.slotOf(id);
    return this.hasAt(slot) ? { offset: this.at.get(slot), length: this.columns.get(slot * COLUMNS) } : undefined;
  }

  /** The record at `where` is now the sample's latest. */
  put(record: Assessment, where: RecordAt): void {
    const slot = this.ids.add(record.id);
    const shape = this.shapeOf(record);
    const from = this.values.length;
    for (const name of this.shapes[shape].scores) this.values.push(record.scores[name]);
    for (const name of this.shapes[shape].raw ?? []) this.values.push(record.raw![name]);
    while (this.at.length <= slot) {
      this.at.push(0);
      for (let c = 0; c < COLUMNS; c++) this.columns.push(0);
    }
    if (!this.hasAt(slot)) this.assessed++;
    this.at.set(slot, where.offset);
    [where.length, shape, from].forEach((v, i) => this.columns.set(slot * COLUMNS + i, v));
  }

  /** Everything, to save in state.db; `fromSaved` reads it back. */
  toSaved(): { state: object; parts: Record<string, Buffer> } {
    return {
      state: { shapes: this.shapes, assessed: this.assessed },
      parts: { at: this.at.toBytes(), columns: this.columns.toBytes(), values: this.values.toBytes() },
    };
  }

  /** Throws when the saved parts disagree with each other or with the numbering `ids`. */
  static fromSaved(state: unknown, parts: Record<string, Buffer>, ids: IdSlots): AssessmentBriefs {
    const { shapes, assessed } = (state ?? {}) as { shapes?: Shape[]; assessed?: number };
    if (!Array.isArray(shapes) || typeof assessed !== 'number' || !parts.at || !parts.columns || !parts.values) throw new Error('a part is missing');
    const at = Float64List.fromBytes(parts.at);
    const columns = Uint32List.fromBytes(parts.columns);
    const values = Float64List.fromBytes(parts.values);
    if (at.length > ids.size || columns.length !== at.length * COLUMNS) throw new Error(`its parts disagree on the number of samples (${at.length}; ${ids.size} numbered)`);
    let found = 0;
    for (let slot = 0; slot < at.length; slot++) {
      if (columns.at(slot * COLUMNS) === 0) continue;
      found++;
      const shape = shapes[columns.at(slot * COLUMNS + 1)];
      if (!shape || columns.at(slot * COLUMNS + 2) + shape.scores.length + (shape.raw?.length ?? 0) > values.length) throw new Error(`sample ${slot} points outside its numbers`);
    }
    if (found !== assessed) throw new Error(`it says ${assessed} assessed samples but holds ${found}`);
    return new AssessmentBriefs(ids, at, columns, values, shapes, assessed);
  }

  private shapeOf(r: Assessment): number {
    const shape: Shape = { task: r.task, judgeVersion: r.judgeVersion, rawVersion: r.rawVersion ?? null, verdict: r.verdict, scores: Object.keys(r.scores), raw: r.raw ? Object.keys(r.raw) : null };
    const key = shapeKey(shape);
    let index = this.shapeIndex.get(key);
    if (index === undefined) {
      index = this.shapes.push(shape) - 1;
      this.shapeIndex.set(key, index);
    }
    return index;
  }
}
