// The one parser that decides where a frame ends: vscode-jsonrpc's reader has no limits and reads
// the headers its own way, so the guard parses each header block, refuses what is ambiguous, and
// hands the reader a canonical `Content-Length: N` header it cannot read differently. A header
// block over MAX_HEADER bytes, a missing, non-numeric, repeated or conflicting Content-Length, a
// body over the per-message limit, or more partial-message bytes than the daemon-wide budget
// allows closes that connection, never the daemon.
import { Transform, type TransformCallback } from 'node:stream';

export const MAX_HEADER = 8 * 1024;
export const MAX_BODY = 64 * 1024 * 1024;
/** Bytes of unfinished messages all connections together may make the daemon hold. */
export const MAX_BUFFERED_TOTAL = 256 * 1024 * 1024;

/**
 * Shared by every connection's guard: bytes of messages received but not yet complete. When a
 * message would go over the limit, the connection holding the most is closed (it may be the one
 * asking), so one greedy client cannot keep small ones (a health check) out.
 */
export class FrameBudget {
  used = 0;
  private readonly holders = new Set<FrameGuard>();
  constructor(readonly limit = MAX_BUFFERED_TOTAL) {}

  /** Room for `bytes` more for `guard`, closing bigger holders if needed; false: `guard` is the biggest. */
  take(guard: FrameGuard, bytes: number): boolean {
    while (this.used + bytes > this.limit) {
      let biggest = guard;
      for (const g of this.holders) if (g.heldBytes > biggest.heldBytes) biggest = g;
      if (biggest === guard) return false;
      biggest.evict(`more than ${this.limit} bytes of unfinished messages across all clients, and this one held the most`);
    }
    this.used += bytes;
    this.holders.add(guard);
    return true;
  }

  give(guard: FrameGuard, bytes: number): void {
    this.used -= bytes;
    this.holders.delete(guard);
  }
}

export class FrameGuard extends Transform {
  private header: Buffer = Buffer.alloc(0);
  private bodyLeft = 0;
  /** Bytes of the current unfinished message counted against the budget. */
  private held = 0;
  private failed = false;

  constructor(
    private readonly onViolation: (reason: string) => void,
    private readonly maxBody = MAX_BODY,
    private readonly budget = new FrameBudget(),
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.failed) return done();
    let rest = chunk;
    while (rest.length > 0) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, rest.length);
        if (!this.hold(take)) return this.fail(`more than ${this.budget.limit} bytes of unfinished messages across all clients, and this one holds the most`, done);
        this.push(rest.subarray(0, take));
        this.bodyLeft -= take;
        rest = rest.subarray(take);
        if (this.bodyLeft === 0) this.release();
        continue;
      }
      this.header = this.header.length ? Buffer.concat([this.header, rest]) : rest;
      rest = Buffer.alloc(0);
      const end = this.header.indexOf('\r\n\r\n');
      if (end === -1) {
        if (this.header.length > MAX_HEADER) return this.fail(`header block over ${MAX_HEADER} bytes`, done);
        break;
      }
      if (end > MAX_HEADER) return this.fail(`header block over ${MAX_HEADER} bytes`, done);
      const length = contentLength(this.header.subarray(0, end).toString('latin1'));
      if (typeof length === 'string') return this.fail(length, done);
      if (length > this.maxBody) return this.fail(`message of ${length} bytes is over the ${this.maxBody}-byte limit`, done);
      this.push(Buffer.from(`Content-Length: ${length}\r\n\r\n`, 'ascii'));
      rest = this.header.subarray(end + 4);
      this.header = Buffer.alloc(0);
      this.bodyLeft = length;
    }
    done();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.release();
    this.header = Buffer.alloc(0);
    callback(error);
  }

  get heldBytes(): number {
    return this.held;
  }

  /** Closed by the budget to make room for others. */
  evict(reason: string): void {
    if (this.failed) return;
    this.failed = true;
    this.release();
    this.header = Buffer.alloc(0);
    this.onViolation(reason);
  }

  private hold(bytes: number): boolean {
    if (!this.budget.take(this, bytes)) return false;
    this.held += bytes;
    return true;
  }

  private release(): void {
    this.budget.give(this, this.held);
    this.held = 0;
  }

  private fail(reason: string, done: TransformCallback): void {
    this.evict(reason);
    done();
  }
}

/** The one Content-Length of a header block, or why there is not exactly one valid one. */
export function contentLength(head: string): number | string {
  let found: number | undefined;
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `malformed header line "${line.slice(0, 80)}"`;
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d{1,15}$/.test(value)) return `invalid Content-Length "${value.slice(0, 40)}"`;
    if (found !== undefined) return `Content-Length given twice (${found} and ${value}): the frame length is ambiguous`;
    found = Number(value);
  }
  return found ?? 'missing Content-Length header';
}
