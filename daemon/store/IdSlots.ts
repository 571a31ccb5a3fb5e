// Sample ids numbered 0, 1, 2… in the order first seen, without a string per id: a sample id is
// 32 hex digits (sampleId), kept here as four uint32 words in one typed array and found through
// an open-addressing table. A million ids cost about 24 MB and load from a saved blob with no
// parsing, where a Map of strings costs about 100 MB and a second to build. An id of any other
// form (a journal written by hand) still works, through an ordinary Map.
import { Uint32List } from './numberLists';

const WORDS = 4;

export class IdSlots {
  /** WORDS words per slot; zeros for a slot whose id is not hex. */
  private words = new Uint32List();
  /** slot + 1 of each hex id, at its hash; 0 is empty. */
  private table = new Int32Array(1024);
  private readonly others = new Map<string, number>();
  private readonly otherAt = new Map<number, string>();
  private readonly probe = new Uint32Array(WORDS);

  get size(): number {
    return this.words.length / WORDS;
  }

  /** The slot of `id`, or -1. */
  slotOf(id: string): number {
    if (!toWords(id, this.probe)) return this.others.get(id) ?? -1;
    const at = this.find(this.probe);
    return at < 0 ? -1 : this.table[at] - 1;
  }

  has(id: string): boolean {
    return this.slotOf(id) >= 0;
  }

  /** The slot of `id`, giving it the next one if it has none. */
  add(id: string): number {
    const slot = this.size;
    if (!toWords(id, this.probe)) {
      const known = this.others.get(id);
      if (known !== undefined) return known;
      this.others.set(id, slot);
      this.otherAt.set(slot, id);
      for (let w = 0; w < WORDS; w++) this.words.push(0);
      return slot;
    }
    const at = this.find(this.probe);
    if (at >= 0) return this.table[at] - 1;
    for (let w = 0; w < WORDS; w++) this.words.push(this.probe[w]);
    if ((slot + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.table[-at - 1] = slot + 1;
    return slot;
  }

  idAt(slot: number): string {
    if (!(slot >= 0 && slot < this.size)) throw new RangeError(`slot ${slot} outside 0..${this.size - 1}`);
    const other = this.otherAt.get(slot);
    if (other !== undefined) return other;
    // The words hold the id's bytes in order (see toWords), so they print as the id itself.
    const words = this.words.arrayOf(slot * WORDS);
    const at = this.words.indexIn(slot * WORDS);
    return Buffer.from(words.buffer, words.byteOffset).toString('hex', at * 4, (at + WORDS) * 4);
  }

  *ids(): Generator<string> {
    for (let slot = 0; slot < this.size; slot++) yield this.idAt(slot);
  }

  /** What `fromSaved` needs to rebuild these slots: the words and the ids that are not hex. */
  toSaved(): { words: Buffer; others: [number, string][] } {
    return { words: this.words.toBytes(), others: [...this.otherAt] };
  }

  static fromSaved(words: Uint8Array, others: [number, string][]): IdSlots {
    const slots = new IdSlots();
    slots.words = Uint32List.fromBytes(words);
    if (slots.words.length % WORDS !== 0) throw new RangeError(`${words.length} bytes is not a whole number of ids`);
    for (const [slot, id] of others) {
      if (!(slot >= 0 && slot < slots.size)) throw new RangeError(`saved id ${id} has slot ${slot}, outside 0..${slots.size - 1}`);
      slots.others.set(id, slot);
      slots.otherAt.set(slot, id);
    }
    let capacity = 1024;
    while (capacity < slots.size * 2) capacity *= 2;
    slots.rehash(capacity);
    return slots;
  }

  /** The table index holding `key`, or -(the empty index where it would go) - 1. */
  private find(key: Uint32Array): number {
    const { table, words } = this;
    const mask = table.length - 1;
    // The words are a sha256 prefix, so any of them is already an even hash.
    for (let at = (key[0] ^ key[1]) & mask; ; at = (at + 1) & mask) {
      const entry = table[at];
      if (entry === 0) return -at - 1;
      const base = (entry - 1) * WORDS;
      if (words.at(base) === key[0] && words.at(base + 1) === key[1] && words.at(base + 2) === key[2] && words.at(base + 3) === key[3]) return at;
    }
  }

  private rehash(capacity: number): void {
    this.table = new Int32Array(capacity);
    const key = new Uint32Array(WORDS);
    for (let slot = 0; slot < this.size; slot++) {
      if (this.otherAt.has(slot)) continue;
      for (let w = 0; w < WORDS; w++) key[w] = this.words.at(slot * WORDS + w);
      this.table[-this.find(key) - 1] = slot + 1;
    }
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Each character's hex digit, or -1 (lowercase only, so idAt gives an id back unchanged). */
const DIGIT = new Int8Array(65536).fill(-1);
for (let c = 0; c < 16; c++) DIGIT['0123456789abcdef'.charCodeAt(c)] = c;

/**
 * Fills `out` with the id's 128 bits when it is 32 lowercase hex digits, each word holding its
 * 4 bytes in the id's order in memory (so a Buffer view prints the id). Runs per lookup: no
 * allocation, no branch per digit.
 */
function toWords(id: string, out: Uint32Array): boolean {
  if (id.length !== WORDS * 8) return false;
  let bad = 0;
  for (let w = 0; w < WORDS; w++) {
    let value = 0;
    for (let i = w * 8; i < w * 8 + 8; i++) {
      const digit = DIGIT[id.charCodeAt(i)];
      bad |= digit;
      value = (value << 4) | (digit & 15);
    }
    out[w] = LITTLE_ENDIAN ? ((value >>> 24) | ((value >>> 8) & 0xff00) | ((value << 8) & 0xff0000) | (value << 24)) >>> 0 : value >>> 0;
  }
  return bad >= 0;
}
