// A container's multiplexed output (attach or logs, Tty false) → two PassThroughs → lines →
// the run's listener. Frames do not respect lines, UTF-8 sequences or JSON objects, so bytes are
// decoded per stream and lines are reassembled before an event is parsed.
import { PassThrough } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';
import { isFinalEvent, parseEvent } from '../trainerOutput';
import type { RunListener, TrainerEvent } from '../types';

/** A line longer than this is passed on in pieces instead of growing without bound. */
export const MAX_LINE_CHARS = 1 << 20;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  constructor(private readonly maxLine = MAX_LINE_CHARS) {}

  push(chunk: Buffer | string): string[] {
    return this.split(this.rest + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk)));
  }

  end(): string[] {
    const lines = this.split(this.rest + this.decoder.end());
    if (this.rest) lines.push(this.rest);
    this.rest = '';
    return lines;
  }

  private split(text: string): string[] {
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    while (this.rest.length > this.maxLine) {
      lines.push(this.rest.slice(0, this.maxLine));
      this.rest = this.rest.slice(this.maxLine);
    }
    return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
}

/** What the runner remembers of a run's output to explain how it ended. */
export class OutputMemory {
  lastFinal: TrainerEvent | undefined;
  lastLineAt = Date.now();
  private readonly tail: string[] = [];

  constructor(private readonly keep = 40) {}

  sawLine(line: string, stream: 'stdout' | 'stderr'): void {
    this.lastLineAt = Date.now();
    if (stream === 'stderr' && line.trim()) {
      this.tail.push(line);
      if (this.tail.length > this.keep) this.tail.shift();
    }
  }

  stderrTail(): string[] {
    return [...this.tail];
  }
}

/**
 * Demuxes `source` into stdout/stderr lines for the listener. Resolves when the source has ended
 * and every line was delivered. A listener that throws does not stop the stream.
 */
export function pipeToListener(modem: Dockerode['modem'], source: NodeJS.ReadableStream, listener: RunListener, memory: OutputMemory): Promise<void> {
  const out = new PassThrough();
  const err = new PassThrough();
  const deliver = (stream: 'stdout' | 'stderr') => (line: string) => {
    memory.sawLine(line, stream);
    if (stream === 'stdout') {
      const e = parseEvent(line);
      if (e) {
        if (isFinalEvent(e)) memory.lastFinal = e;
        safely(() => listener.onEvent(e));
      }
    }
    safely(() => listener.onLog(line, stream));
  };
  const drained = (pt: PassThrough, stream: 'stdout' | 'stderr') =>
    new Promise<void>((resolve) => {
      const lines = new LineSplitter();
      const send = deliver(stream);
      pt.on('data', (chunk: Buffer) => lines.push(chunk).forEach(send));
      pt.on('end', () => {
        lines.end().forEach(send);
        resolve();
      });
    });
  const done = Promise.all([drained(out, 'stdout'), drained(err, 'stderr')]).then(() => undefined);
  modem.demuxStream(source, out, err);
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    out.end();
    err.end();
  };
  source.on('end', finish);
  source.on('close', finish);
  source.on('error', finish);
  return done;
}

function safely(f: () => void): void {
  try {
    f();
  } catch {
    /* a listener's bug must not lose the rest of the run's output */
  }
}
