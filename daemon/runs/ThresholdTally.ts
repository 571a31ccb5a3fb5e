// The count towards the threshold, kept up to date sample by sample: a submit or an ingested batch
// changes a few samples, so only those are looked at again (O(changed), not O(dataset)). A whole
// recount (countTowardsThreshold, the rule's one definition) happens on start, after a version
// lands, after the config or the dataset changed on disk, and whenever the user's file repeats a
// sample on several lines (each line counts, and an id alone cannot say how many there are). The
// recount goes by the samples' slots (the workspace's numbering of ids), so a million lines cost
// array lookups, not strings and hash lookups.
import { effectiveVerdict, type SampleState } from '../assess/effectiveVerdict';
import { SlotFlags } from '../store/SlotFlags';
import { countTowardsThreshold } from './threshold';

export interface TallySource {
  /** Each valid line's sample, as its slot. */
  lineSlots(): Iterable<number>;
  /** The sample's slot, -1 when it was never seen. */
  slotOf(id: string): number;
  /** Whether a line holds the sample with this slot. */
  hasAt(slot: number): boolean;
  stateAt(slot: number): SampleState;
  /** Valid lines repeating an earlier line's sample. */
  readonly duplicateLines: number;
}

export class ThresholdTally {
  /** Samples that count now: in the dataset, high quality, not used by a landed version. */
  private counting = new SlotFlags();
  private lines = 0;

  constructor(
    private readonly samples: TallySource,
    /** Samples a landed version trained on. */
    private readonly used: { has(id: string): boolean; hasAt(slot: number): boolean },
  ) {}

  /** Dataset lines whose sample counts towards the threshold. */
  get collected(): number {
    return this.lines;
  }

  recount(): void {
    const used = { has: (slot: number) => this.used.hasAt(slot) };
    const { fresh } = countTowardsThreshold(this.samples.lineSlots(), (slot) => this.samples.stateAt(slot), used, 0);
    this.counting = new SlotFlags();
    for (const slot of fresh) this.counting.set(slot, true);
    this.lines = fresh.length;
  }

  /** These samples were added, judged or labelled; nothing else changed. */
  update(ids: Iterable<string>): void {
    if (this.samples.duplicateLines > 0) return this.recount();
    for (const id of ids) {
      const slot = this.samples.slotOf(id);
      if (slot < 0) continue; // never seen: on no line, so it neither counts nor counted
      const counts = this.samples.hasAt(slot) && !this.used.has(id) && effectiveVerdict(this.samples.stateAt(slot)) === 'accepted';
      if (this.counting.set(slot, counts)) this.lines += counts ? 1 : -1;
    }
  }
}
