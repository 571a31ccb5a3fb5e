import { strict as assert } from 'node:assert';
import type { SampleState } from '../../../daemon/assess/effectiveVerdict';
import { countTowardsThreshold } from '../../../daemon/runs/threshold';
import { ThresholdTally, type TallySource } from '../../../daemon/runs/ThresholdTally';

/** A dataset as lines of ids, with each id's state; ids numbered as they are first seen, duplicates counted like the store does. */
function dataset(): TallySource & { lines: string[]; states: Map<string, SampleState>; stateOf(id: string): SampleState; idAt(slot: number): string } {
  const lines: string[] = [];
  const states = new Map<string, SampleState>();
  const slots = new Map<string, number>();
  const slotOf = (id: string) => {
    if (!slots.has(id)) slots.set(id, slots.size);
    return slots.get(id)!;
  };
  const idAt = (slot: number) => [...slots].find(([, s]) => s === slot)![0];
  const stateOf = (id: string) => states.get(id) ?? {};
  return {
    lines,
    states,
    stateOf,
    idAt,
    lineSlots: () => lines.map(slotOf),
    slotOf,
    hasAt: (slot) => lines.includes(idAt(slot)),
    stateAt: (slot) => stateOf(idAt(slot)),
    get duplicateLines() {
      return lines.length - new Set(lines).size;
    },
  };
}

describe('ThresholdTally', () => {
  it('keeps the same count as a full recount while samples are added, judged, labelled and used', () => {
    const d = dataset();
    const usedIds = new Set<string>();
    const used = { has: (id: string) => usedIds.has(id), hasAt: (slot: number) => usedIds.has(d.idAt(slot)) };
    const tally = new ThresholdTally(d, used);
    tally.recount();
    const full = () => countTowardsThreshold(d.lines, d.stateOf, used, 0).collected;
    const change = (id: string, state?: SampleState, add = false) => {
      if (state) d.states.set(id, state);
      if (add) d.lines.push(id);
      tally.update([id]);
      assert.equal(tally.collected, full(), `after changing ${id}`);
    };
    change('a', { assessment: { verdict: 'accepted' } }, true);
    change('b', { assessment: { verdict: 'rejected' } }, true);
    change('c', { assessment: { verdict: 'accepted' } }); // judged, not in the dataset
    change('b', { assessment: { verdict: 'rejected' }, annotation: { action: 'accept' } });
    change('a', { assessment: { verdict: 'accepted' }, annotation: { action: 'reject' } });
    change('a', { assessment: { verdict: 'accepted' }, annotation: { action: 'note' } });
    assert.equal(tally.collected, 2);
    usedIds.add('b');
    tally.recount(); // a landed version marks its samples: a full recount
    assert.equal(tally.collected, 1);
    change('a', undefined, true); // the user pasted a line twice: both lines count
    assert.equal(tally.collected, 2);
    change('c', undefined, true);
    assert.equal(tally.collected, 3);
  });
});
