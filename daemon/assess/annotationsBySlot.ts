// People's annotations keyed by sample slot (the workspace's numbering of ids), for passes that go
// by slot: remade when the annotations or the numbering changed (people annotate thousands of
// samples, not millions, so a remake is cheap).
import type { Annotation } from '../protocol';
import type { IdSlots } from '../store/IdSlots';
import type { LatestById } from './LatestById';

export class AnnotationsBySlot {
  private made: { changes: number; numbered: number; map: Map<number, Annotation> } | undefined;

  constructor(
    private readonly annotations: LatestById<Annotation>,
    private readonly ids: IdSlots,
  ) {}

  get(slot: number): Annotation | undefined {
    return this.current().get(slot);
  }

  private current(): Map<number, Annotation> {
    const { annotations, ids } = this;
    if (this.made?.changes !== annotations.changes || this.made.numbered !== ids.size) {
      const map = new Map<number, Annotation>();
      for (const id of annotations.keys()) {
        const slot = ids.slotOf(id);
        if (slot >= 0) map.set(slot, annotations.get(id)!);
      }
      this.made = { changes: annotations.changes, numbered: ids.size, map };
    }
    return this.made.map;
  }
}
