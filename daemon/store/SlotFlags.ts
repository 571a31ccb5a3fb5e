// A yes/no per sample slot (see sampleIds.ts) with a count: a set of samples that costs a byte a
// sample and is tested by indexing, not hashing.
export class SlotFlags {
  private flags: Uint8Array;
  private on = 0;

  constructor(capacity = 1024) {
    this.flags = new Uint8Array(capacity);
  }

  /** How many slots are set. */
  get count(): number {
    return this.on;
  }

  has(slot: number): boolean {
    return slot >= 0 && slot < this.flags.length && this.flags[slot] === 1;
  }

  /** Sets or clears `slot`; returns whether that changed anything. */
  set(slot: number, value: boolean): boolean {
    if (!(slot >= 0)) throw new RangeError(`slot ${slot} is not a slot`);
    if (slot >= this.flags.length) {
      if (!value) return false;
      let size = this.flags.length * 2;
      while (size <= slot) size *= 2;
      const bigger = new Uint8Array(size);
      bigger.set(this.flags);
      this.flags = bigger;
    }
    if ((this.flags[slot] === 1) === value) return false;
    this.flags[slot] = value ? 1 : 0;
    this.on += value ? 1 : -1;
    return true;
  }

  *slots(): Generator<number> {
    for (let slot = 0; slot < this.flags.length; slot++) if (this.flags[slot] === 1) yield slot;
  }

  /** One byte a slot, up to `size` slots (the numbering's size), to save; `fromBytes` reads it back. */
  toBytes(size: number): Buffer {
    const out = Buffer.alloc(size);
    out.set(this.flags.subarray(0, Math.min(size, this.flags.length)));
    return out;
  }

  static fromBytes(bytes: Uint8Array): SlotFlags {
    const flags = new SlotFlags(Math.max(1024, bytes.length));
    for (let slot = 0; slot < bytes.length; slot++) {
      if (bytes[slot] > 1) throw new RangeError(`byte ${slot} is ${bytes[slot]}, not 0 or 1`);
      if (bytes[slot] === 1) flags.set(slot, true);
    }
    return flags;
  }
}
