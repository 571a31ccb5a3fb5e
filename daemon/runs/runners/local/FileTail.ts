// Follows a growing file from its start, like `tail -f`, by polling its size: output files of a
// process that may outlive the daemon, where pipes would break.
import * as fs from 'node:fs';

export class FileTail {
  private offset = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly file: string,
    private readonly onChunk: (text: string) => void,
    intervalMs = 200,
  ) {
    this.read();
    this.timer = setInterval(() => this.read(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.read();
  }

  private read(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return;
    }
    try {
      const size = fs.fstatSync(fd).size;
      while (this.offset < size) {
        const buf = Buffer.alloc(Math.min(1 << 20, size - this.offset));
        const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.onChunk(this.decoder.decode(buf.subarray(0, n), { stream: true }));
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}
