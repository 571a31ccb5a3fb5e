// Cuts a byte stream into lines at LF. Lines may span chunks; a line longer than the cap is
// counted but not kept, so one huge line costs at most `maxLineBytes` of memory.

export interface RawLine {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Bytes in the line, not counting its LF or CRLF terminator. */
  length: number;
  /** False only for a last line with no LF after it. */
  terminated: boolean;
  /** The line's bytes without terminator; absent when `length` is over the cap. */
  bytes?: Buffer;
}

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private pieces: Buffer[] = [];
  private held = 0;
  private total = 0;
  private overflow = false;
  private lastByte = -1;
  private line: number;
  private offset: number;

  constructor(
    private readonly maxLineBytes: number,
    startOffset = 0,
    firstLine = 1,
  ) {
    this.offset = startOffset;
    this.line = firstLine;
  }

  /** Split `chunk`; complete lines are pushed to `out`. The chunk must not be reused by the caller. */
  push(chunk: Buffer, out: RawLine[]): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(LF, pos);
      if (nl === -1) {
        this.take(chunk, pos, chunk.length);
        return;
      }
      this.take(chunk, pos, nl);
      out.push(this.finish(true));
      pos = nl + 1;
    }
  }

  /** End of input: a last line without LF is emitted as unterminated (a trailing CR stays in it). */
  end(out: RawLine[]): void {
    if (this.total > 0) out.push(this.finish(false));
  }

  private take(chunk: Buffer, start: number, end: number): void {
    const n = end - start;
    if (n === 0) return;
    this.total += n;
    this.lastByte = chunk[end - 1];
    if (this.overflow) return;
    // Keep one byte over the cap: a line of exactly the cap may still end in the CR of a CRLF.
    if (this.held + n > this.maxLineBytes + 1) {
      this.overflow = true;
      this.pieces = [];
      this.held = 0;
      return;
    }
    this.pieces.push(chunk.subarray(start, end));
    this.held += n;
  }

  private finish(terminated: boolean): RawLine {
    const crlf = terminated && this.total > 0 && this.lastByte === CR;
    const length = this.total - (crlf ? 1 : 0);
    const raw: RawLine = { line: this.line, offset: this.offset, length, terminated };
    if (!this.overflow && length <= this.maxLineBytes) {
      const all = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.held);
      raw.bytes = crlf ? all.subarray(0, length) : all;
    }
    this.offset += this.total + (terminated ? 1 : 0);
    this.line++;
    this.pieces = [];
    this.held = 0;
    this.total = 0;
    this.overflow = false;
    this.lastByte = -1;
    return raw;
  }
}
