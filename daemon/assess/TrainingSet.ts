// The training dataset as runs see it: which samples are in it, what counts for each (the judge's
// verdict and a person's word), and the samples themselves with people's corrections applied.
import type { Annotation } from '../protocol';
import type { DatasetStore } from '../store/DatasetStore';
import type { SampleRecord } from '../store/sampleCheck';
import type { Assessor } from './Assessor';
import type { SampleState } from './effectiveVerdict';
import type { LatestById } from './LatestById';

export class TrainingSet {
  constructor(
    private readonly store: DatasetStore,
    private readonly assessor: Assessor,
    private readonly annotations: LatestById<Annotation>,
  ) {}

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
    const verdict = this.assessor.verdictOf(id) ?? this.assessor.recordedVerdict(id);
    return { assessment: verdict && { verdict }, annotation: this.annotations.get(id) };
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
