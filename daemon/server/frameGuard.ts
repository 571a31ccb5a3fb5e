// Enforces framing limits before vscode-jsonrpc's reader sees the bytes (it has none of its
// own): a header block over MAX_HEADER bytes, a missing or non-numeric Content-Length, or a
// body over MAX_BODY closes that connection, never the daemon.
import { Transform, type TransformCallback } from 'node:stream';

export const MAX_HEADER = 8 * 1024;
export const MAX_BODY = 64 * 1024 * 1024;

export class FrameGuard extends Transform {
  private header = Buffer.alloc(0);
  private bodyLeft = 0;

  constructor(private readonly onViolation: (reason: string) => void, private readonly maxBody = MAX_BODY) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let rest = chunk;
    while (rest.length > 0) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, rest.length);
        this.push(rest.subarray(0, take));
        this.bodyLeft -= take;
        rest = rest.subarray(take);
        continue;
      }
      this.header = Buffer.concat([this.header, rest]);
      rest = Buffer.alloc(0);
      const end = this.header.indexOf('\r\n\r\n');
      if (end === -1) {
        if (this.header.length > MAX_HEADER) return this.fail(`header block over ${MAX_HEADER} bytes`, done);
        break;
      }
      const head = this.header.subarray(0, end).toString('ascii');
      const match = /^content-length:\s*(\d+)\s*$/im.exec(head);
      if (!match) return this.fail('missing or invalid Content-Length header', done);
      const length = Number(match[1]);
      if (length > this.maxBody) return this.fail(`message of ${length} bytes is over the ${this.maxBody}-byte limit`, done);
      this.push(this.header.subarray(0, end + 4));
      rest = this.header.subarray(end + 4);
      this.header = Buffer.alloc(0);
      this.bodyLeft = length;
    }
    done();
  }

  private fail(reason: string, done: TransformCallback): void {
    this.onViolation(reason);
    done();
  }
}
