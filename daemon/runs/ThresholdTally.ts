// The count towards the threshold, kept up to date sample by sample: a submit or an ingested batch
// changes a few samples, so only those are looked at again (O(changed), not O(dataset)). A whole
// recount (countTowardsThreshold, the rule's one definition) happens on start, after a version
// lands, after the config or the dataset changed on disk, and whenever the user's file repeats a
// sample on several lines (each line counts, and an id alone cannot say how many there are).
import { effectiveVerdict, type SampleState } from '../assess/effectiveVerdict';
import { countTowardsThreshold } from './threshold';

export interface TallySource {
  ids(): Iterable<string>;
  has(id: string): boolean;
  stateOf(id: string): SampleState;
  /** Valid lines repeating an earlier line's sample. */
  readonly duplicateLines: number;
}

export class ThresholdTally {
  /** Ids that count now: in the dataset, high quality, not used by a landed version. */
  private counting = new Set<string>();
  private lines = 0;

  constructor(
    private readonly samples: TallySource,
    private readonly used: ReadonlySet<string>,
  ) {}

  /** Dataset lines whose sample counts towards the threshold. */
  get collected(): number {
    return this.lines;
  }

  recount(): void {
    const { fresh } = countTowardsThreshold(this.samples.ids(), (id) => this.samples.stateOf(id), this.used, 0);
    this.counting = new Set(fresh);
    this.lines = fresh.length;
  }

  /** These samples were added, judged or labelled; nothing else changed. */
  update(ids: Iterable<string>): void {
    if (this.samples.duplicateLines > 0) return this.recount();
    for (const id of ids) {
      const counts = this.samples.has(id) && !this.used.has(id) && effectiveVerdict(this.samples.stateOf(id)) === 'accepted';
      if (counts === this.counting.has(id)) continue;
      if (counts) this.counting.add(id);
      else this.counting.delete(id);
      this.lines += counts ? 1 : -1;
    }
  }
}
