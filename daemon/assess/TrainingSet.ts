// The training dataset as runs see it: which samples are in it, what counts for each (the judge's
// verdict and a person's word), and the samples themselves with people's corrections applied.
import type { Annotation, Verdict } from '../protocol';
import type { DatasetStore } from '../store/DatasetStore';
import type { SampleRecord } from '../store/sampleCheck';
import type { Assessor } from './Assessor';
import type { SampleState } from './effectiveVerdict';
import { AnnotationsBySlot } from './annotationsBySlot';
import type { LatestById } from './LatestById';

export class TrainingSet {
  private readonly bySlot: AnnotationsBySlot;

  constructor(
    private readonly store: DatasetStore,
    private readonly assessor: Assessor,
    private readonly annotations: LatestById<Annotation>,
  ) {
    // Slots mean the same sample in both only when they share one numbering.
    if (store.sampleIds !== assessor.stored.ids) throw new Error('TrainingSet: the dataset store and the assessor were opened with different numberings of sample ids');
    this.bySlot = new AnnotationsBySlot(annotations, store.sampleIds);
  }

  get size(): number {
    return this.store.size;
  }

  get duplicateLines(): number {
    return this.store.duplicateLines;
  }

  ids(): string[] {
    return this.store.ids();
  }

  has(id: string): boolean {
    return this.store.has(id);
  }

  /** This judge's verdict, else the recorded one, and a person's word. */
  stateOf(id: string): SampleState {
    return { assessment: this.verdictAt(this.slotOf(id)), annotation: this.annotations.get(id) };
  }

  /** Each valid line's sample, as its slot in the workspace's numbering: for passes over every line. */
  lineSlots(): Uint32Array {
    return this.store.lineSlots();
  }

  slotOf(id: string): number {
    return this.store.sampleIds.slotOf(id);
  }

  /** Whether a line holds the sample with this slot. */
  hasAt(slot: number): boolean {
    return this.store.hasSlot(slot);
  }

  /** stateOf() by slot: array lookups only. */
  stateAt(slot: number): SampleState {
    return { assessment: this.verdictAt(slot), annotation: this.bySlot.get(slot) };
  }

  private verdictAt(slot: number): { verdict: Verdict } | undefined {
    const verdict = this.assessor.verdictAt(slot) ?? this.assessor.recordedVerdictAt(slot);
    return verdict && { verdict };
  }


  /** The samples with these ids, in dataset order, with people's corrections applied. */
  async *read(ids: Iterable<string>): AsyncGenerator<SampleRecord> {
    const wanted = new Set(ids);
    for (let offset = 0; offset < this.store.size; offset += 1000) {
      for (const e of await this.store.entries(offset, 1000)) {
        if (!wanted.has(e.id)) continue;
        const a = this.annotations.get(e.id);
        yield a?.action === 'correct' && a.output ? { ...e.sample, output: a.output } : e.sample;
      }
    }
  }
}
