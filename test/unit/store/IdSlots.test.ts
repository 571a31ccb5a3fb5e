// IdSlots numbers ids as a Map would, for sample ids (hex) and any other string, and reads back
// from what it saves.
import { strict as assert } from 'node:assert';
import { IdSlots } from '../../../daemon/store/IdSlots';
import { sampleId } from '../../../daemon/store/sampleId';

describe('store/IdSlots', () => {
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  // Mostly sample ids; some look almost like one (upper case, 31 or 33 digits, a 'g'), some are anything.
  const anId = (n: number): string => {
    const id = sampleId({ input: `in ${n}`, output: `out ${n}` });
    const r = rand();
    if (r < 0.8) return id;
    if (r < 0.84) return id.toUpperCase();
    if (r < 0.88) return id.slice(1);
    if (r < 0.92) return `${id}0`;
    if (r < 0.96) return `g${id.slice(1)}`;
    return `note ${n} ✓`;
  };

  it('gives each id the slot a Map of first appearances would, and the id back from its slot', () => {
    const slots = new IdSlots();
    const expected = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const id = anId(Math.floor(rand() * 8000)); // repeats, so ids come back
      if (!expected.has(id)) expected.set(id, expected.size);
      assert.equal(slots.add(id), expected.get(id));
    }
    assert.equal(slots.size, expected.size);
    for (const [id, slot] of expected) {
      assert.equal(slots.slotOf(id), slot);
      assert.equal(slots.idAt(slot), id);
    }
    assert.equal(slots.slotOf(sampleId({ input: 'never', output: 'added' })), -1);
    assert.equal(slots.has('never added'), false);
    assert.deepEqual([...slots.ids()], [...expected.keys()]);
  });

  it('reads back what it saved, and goes on numbering from there', () => {
    const slots = new IdSlots();
    const ids = Array.from({ length: 3000 }, (_, i) => anId(i));
    for (const id of ids) slots.add(id);
    const saved = slots.toSaved();
    const back = IdSlots.fromSaved(Buffer.from(saved.words), JSON.parse(JSON.stringify(saved.others)));
    assert.deepEqual([...back.ids()], [...slots.ids()]);
    for (const id of ids) assert.equal(back.slotOf(id), slots.slotOf(id));
    const next = sampleId({ input: 'one more', output: 'sample' });
    assert.equal(back.add(next), slots.size);
    assert.equal(back.slotOf(next), slots.size);
  });

  it('refuses saved parts that do not hold together', () => {
    assert.throws(() => IdSlots.fromSaved(Buffer.alloc(17), []), /not a whole number/);
    assert.throws(() => IdSlots.fromSaved(Buffer.alloc(32), [[5, 'x']]), /outside/);
  });
});
