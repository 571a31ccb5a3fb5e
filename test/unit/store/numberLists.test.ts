// The typed lists read back what they saved, whether the saved bytes are viewed in place or
// copied, and entries pushed after a load sit beside the loaded ones without moving them.
import { strict as assert } from 'node:assert';
import { Float64List, Uint32List } from '../../../daemon/store/numberLists';

describe('store/numberLists', () => {
  for (const offset of [0, 3]) {
    it(`a loaded list (${offset ? 'unaligned bytes, copied' : 'aligned bytes, viewed in place'}) reads, grows and saves like one never saved`, () => {
      const plain = new Float64List(4);
      for (let i = 0; i < 3000; i++) plain.push(i * 1.5);
      const saved = plain.toBytes();
      const bytes = new Uint8Array(saved.length + offset).subarray(offset);
      bytes.set(saved);
      const loaded = Float64List.fromBytes(bytes);
      for (let i = 3000; i < 5000; i++) {
        plain.push(i * 1.5);
        loaded.push(i * 1.5);
      }
      for (const i of [0, 2999, 3000, 4999]) {
        plain.set(i, -i);
        loaded.set(i, -i);
      }
      assert.equal(loaded.length, 5000);
      assert.deepEqual([...loaded.toArray()], [...plain.toArray()]);
      assert.deepEqual(loaded.toBytes(), plain.toBytes());
      // Entries pushed together are in one array, at the index indexIn gives.
      assert.equal(loaded.arrayOf(4000)[loaded.indexIn(4000)], 6000);
      assert.equal(loaded.arrayOf(10)[loaded.indexIn(10)], 15);
      assert.throws(() => loaded.get(5000), /outside/);
    });
  }

  it('floorIndex searches across the loaded and the pushed entries', () => {
    const starts = new Float64List();
    for (let i = 0; i < 100; i++) starts.push(i * 10);
    const loaded = Float64List.fromBytes(Buffer.from(starts.toBytes()));
    for (let i = 100; i < 150; i++) loaded.push(i * 10);
    assert.deepEqual([-1, 0, 5, 995, 1000, 1495, 9999].map((v) => loaded.floorIndex(v)), [-1, 0, 0, 99, 100, 149, 149]);
  });

  it('refuses bytes that are not whole numbers', () => {
    assert.throws(() => Uint32List.fromBytes(new Uint8Array(6)), /whole number of 4-byte numbers/);
    assert.throws(() => Float64List.fromBytes(new Uint8Array(12)), /whole number of 8-byte numbers/);
  });
});
