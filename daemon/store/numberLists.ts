// Growable lists of numbers, each in one typed array: a million entries cost 8 MB (doubles) or
// 4 MB (uint32) and no per-entry objects. Float64 holds every byte offset exactly (up to 2^53).
type Numbers = Float64Array | Uint32Array;

abstract class NumberList<A extends Numbers> {
  protected count = 0;

  protected constructor(
    protected data: A,
    private readonly make: (length: number) => A,
  ) {}

  get length(): number {
    return this.count;
  }

  /** The backing array, for hot loops: its first `length` entries, valid until the next push. */
  get array(): A {
    return this.data;
  }

  push(value: number): void {
    if (this.count === this.data.length) {
      const bigger = this.make(Math.max(16, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.count++] = value;
  }

  get(index: number): number {
    if (index < 0 || index >= this.count) throw new RangeError(`index ${index} outside 0..${this.count - 1}`);
    return this.data[index];
  }

  set(index: number, value: number): void {
    if (index < 0 || index >= this.count) throw new RangeError(`index ${index} outside 0..${this.count - 1}`);
    this.data[index] = value;
  }

  /** The numbers' bytes (little-endian), to save; `fromBytes` reads them back. */
  toBytes(): Buffer {
    return Buffer.from(this.data.buffer, this.data.byteOffset, this.count * this.data.BYTES_PER_ELEMENT);
  }

  protected load(bytes: Uint8Array): this {
    const width = this.data.BYTES_PER_ELEMENT;
    if (bytes.length % width !== 0) throw new RangeError(`${bytes.length} bytes is not a whole number of ${width}-byte numbers`);
    this.data = this.make(Math.max(1024, bytes.length / width));
    // Copied: a typed array needs an aligned buffer, which a blob read from disk may not be.
    new Uint8Array(this.data.buffer).set(bytes);
    this.count = bytes.length / width;
    return this;
  }
}

export class Float64List extends NumberList<Float64Array> {
  constructor(capacity = 1024) {
    super(new Float64Array(capacity), (n) => new Float64Array(n));
  }

  static fromBytes(bytes: Uint8Array): Float64List {
    return new Float64List(0).load(bytes);
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

export class Uint32List extends NumberList<Uint32Array> {
  constructor(capacity = 1024) {
    super(new Uint32Array(capacity), (n) => new Uint32Array(n));
  }

  static fromBytes(bytes: Uint8Array): Uint32List {
    return new Uint32List(0).load(bytes);
  }
}
