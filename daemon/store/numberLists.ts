// Growable lists of numbers in typed arrays: a million entries cost 8 MB (doubles) or 4 MB
// (uint32) and no per-entry objects. Float64 holds every byte offset exactly (up to 2^53).
//
// A list loaded from a saved blob keeps that blob as its fixed "base", viewed in place, and takes
// new entries in a separate growable "tail": neither loading nor the first push after it needs a
// second copy of a hundred megabytes (a reallocated array's old copy lingers until the next full
// GC, which at a million samples pushed the daemon's RSS over its budget).
type Numbers = Float64Array | Uint32Array;

/** Float64Array or Uint32Array itself: makes a new array, or views bytes in place. */
interface ArrayKind<A extends Numbers> {
  new (length: number): A;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
}

abstract class NumberList<A extends Numbers> {
  private base: A;
  private tail: A;
  private baseCount = 0;
  private tailCount = 0;

  protected constructor(
    private readonly Kind: ArrayKind<A>,
    capacity: number,
  ) {
    this.base = new Kind(0);
    this.tail = new Kind(capacity);
  }

  get length(): number {
    return this.baseCount + this.tailCount;
  }

  push(value: number): void {
    if (this.tailCount === this.tail.length) {
      // A quarter more, not double: one more entry must not cost another 8 MB.
      const bigger = new this.Kind(this.tail.length + Math.max(1024, this.tail.length >> 2));
      bigger.set(this.tail);
      this.tail = bigger;
    }
    this.tail[this.tailCount++] = value;
  }

  get(index: number): number {
    if (!(index >= 0 && index < this.length)) throw new RangeError(`index ${index} outside 0..${this.length - 1}`);
    return this.at(index);
  }

  /** get() without the range check, for hot loops that know the index is in range. */
  at(index: number): number {
    return index < this.baseCount ? this.base[index] : this.tail[index - this.baseCount];
  }

  set(index: number, value: number): void {
    if (!(index >= 0 && index < this.length)) throw new RangeError(`index ${index} outside 0..${this.length - 1}`);
    if (index < this.baseCount) this.base[index] = value;
    else this.tail[index - this.baseCount] = value;
  }

  /**
   * The array holding entry `index`, and (indexIn) where in it: for reading entries pushed together,
   * which always sit in one array. Valid until the next push.
   */
  arrayOf(index: number): A {
    return index < this.baseCount ? this.base : this.tail;
  }

  indexIn(index: number): number {
    return index < this.baseCount ? index : index - this.baseCount;
  }

  /** All entries in one array: a view when they are in one already, else a copy. */
  toArray(): A {
    if (this.tailCount === 0) return this.base.subarray(0, this.baseCount) as A;
    if (this.baseCount === 0) return this.tail.subarray(0, this.tailCount) as A;
    const all = new this.Kind(this.length);
    all.set(this.base.subarray(0, this.baseCount));
    all.set(this.tail.subarray(0, this.tailCount), this.baseCount);
    return all;
  }

  /** The numbers' bytes (little-endian), to save; `fromBytes` reads them back. */
  toBytes(): Buffer {
    const all = this.toArray();
    return Buffer.from(all.buffer, all.byteOffset, all.byteLength);
  }

  /** Takes over `bytes` (a blob just read, used by nothing else) as the base: viewed in place when aligned, copied otherwise. */
  protected load(bytes: Uint8Array): this {
    const width = this.tail.BYTES_PER_ELEMENT;
    if (bytes.length % width !== 0) throw new RangeError(`${bytes.length} bytes is not a whole number of ${width}-byte numbers`);
    const count = bytes.length / width;
    if (bytes.byteOffset % width === 0) {
      this.base = new this.Kind(bytes.buffer, bytes.byteOffset, count);
    } else {
      this.base = new this.Kind(count);
      new Uint8Array(this.base.buffer).set(bytes);
    }
    this.baseCount = count;
    this.tailCount = 0;
    return this;
  }
}

export class Float64List extends NumberList<Float64Array> {
  constructor(capacity = 1024) {
    super(Float64Array, capacity);
  }

  static fromBytes(bytes: Uint8Array): Float64List {
    return new Float64List(16).load(bytes);
  }

  /** Index of the last element <= value in a sorted list, or -1. */
  floorIndex(value: number): number {
    let lo = 0;
    let hi = this.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid) <= value) {
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
    super(Uint32Array, capacity);
  }

  static fromBytes(bytes: Uint8Array): Uint32List {
    return new Uint32List(16).load(bytes);
  }
}
