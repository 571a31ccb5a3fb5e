// A growable list of numbers in one Float64Array: line offsets for a million-line file cost
// 8 MB and no per-entry objects. Float64 holds every byte offset exactly (up to 2^53).
export class Float64List {
  private data: Float64Array;
  private count = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.count++] = value;
  }

  /** The numbers' bytes (little-endian doubles), to save; `fromBytes` reads them back. */
  toBytes(): Buffer {
    return Buffer.from(this.data.buffer, this.data.byteOffset, this.count * 8);
  }

  static fromBytes(bytes: Uint8Array): Float64List {
    if (bytes.length % 8 !== 0) throw new RangeError(`${bytes.length} bytes is not a whole number of doubles`);
    const list = new Float64List(Math.max(1024, bytes.length / 8));
    // Copied: a Float64Array needs an 8-byte aligned buffer, which a blob read from disk may not be.
    new Uint8Array(list.data.buffer).set(bytes);
    list.count = bytes.length / 8;
    return list;
  }

  get(index: number): number {
    if (index < 0 || index >= this.count) throw new RangeError(`index ${index} outside 0..${this.count - 1}`);
    return this.data[index];
  }

  /** Index of the last element <= value in a sorted list, or -1. */
  floorIndex(value: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid] <= value) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
