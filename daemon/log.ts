// Structured log: one JSON line per event in logs/finetuning.log (size-rotated), plus an
// in-memory ring with sequence numbers so clients can tail from a cursor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EventEmitter } from 'node:events';
import type { LogEntry } from './protocol';
import { mkdirNoFollowSync, openNoFollowSync } from './workspace/noFollow';
import { redactSecrets } from './errors/redact';

export type Level = LogEntry['level'];

export interface LoggerOptions {
  file: string;
  maxBytes: number;
  keep: number;
  /** Also echo human-readable lines here (the daemon's stderr in the foreground). */
  echo?: NodeJS.WritableStream;
  ringSize?: number;
}

export class Logger {
  private seq = 0;
  private readonly ring: LogEntry[] = [];
  private readonly events = new EventEmitter();
  private size = 0;
  private fd: number | undefined;
  /** The last record was cut short: the next one starts with a newline. */
  private torn = false;
  /** Writing the file fails; said once on stderr until it works again. */
  private failing = false;
  private shut = false;

  constructor(private readonly opts: LoggerOptions) {
    mkdirNoFollowSync(path.dirname(opts.file));
    this.openFile();
  }

  get file(): string {
    return this.opts.file;
  }

  debug(event: string, message: string, fields?: Record<string, unknown>): void {
    this.write('debug', event, message, fields);
  }
  info(event: string, message: string, fields?: Record<string, unknown>): void {
    this.write('info', event, message, fields);
  }
  warn(event: string, message: string, fields?: Record<string, unknown>): void {
    this.write('warn', event, message, fields);
  }
  error(event: string, message: string, fields?: Record<string, unknown>): void {
    this.write('error', event, message, fields);
  }

  onEntry(listener: (entry: LogEntry) => void): () => void {
    this.events.on('entry', listener);
    return () => this.events.off('entry', listener);
  }

  /** Entries with seq > after, oldest first; the cursor to pass next time. */
  tail(after: number, limit: number): { entries: LogEntry[]; cursor: number } {
    const entries = this.ring.filter((e) => e.seq > after).slice(-limit);
    return { entries, cursor: entries.length ? entries[entries.length - 1].seq : Math.max(after, this.seq - 1) };
  }

  close(): void {
    this.shut = true;
    this.closeFile();
  }

  private closeFile(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private write(level: Level, event: string, message: string, fields?: Record<string, unknown>): void {
    const entry: LogEntry = { seq: this.seq++, time: new Date().toISOString(), level, event, message: redactSecrets(message), ...(fields ? { fields } : {}) };
    this.ring.push(entry);
    if (this.ring.length > (this.opts.ringSize ?? 5000)) this.ring.shift();
    // After a write cut short (ENOSPC mid-record) the next record starts on a new line, so
    // records never run into each other: the fragment stands alone as one bad line.
    const bytes = Buffer.from((this.torn ? '\n' : '') + JSON.stringify(entry) + '\n', 'utf8');
    let written = 0;
    try {
      if (this.fd === undefined && !this.shut) this.openFile(); // a failed rotation left it closed
      if (this.size + bytes.length > this.opts.maxBytes) this.rotate();
      if (this.fd !== undefined) {
        while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written);
        this.size += written;
        this.torn = false;
        if (this.failing) process.stderr.write(`finetune: writing ${this.opts.file} works again\n`);
        this.failing = false;
      }
    } catch (err) {
      // Logging must never take the daemon down: report once on stderr, keep the ring, and try
      // the file again with the next record (log records are not fsynced: nothing to distrust).
      this.size += written;
      if (written > 0) this.torn = true;
      if (!this.failing) process.stderr.write(`finetune: cannot write ${this.opts.file}: ${(err as Error).message}\n`);
      this.failing = true;
    }
    this.opts.echo?.write(`${entry.time} ${level.padEnd(5)} ${event}: ${message}\n`);
    this.events.emit('entry', entry);
  }

  private openFile(): void {
    this.fd = openNoFollowSync(this.opts.file, 'a', 0o644);
    this.size = fs.fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.closeFile();
    for (let i = this.opts.keep - 1; i >= 1; i--) {
      const from = `${this.opts.file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${this.opts.file}.${i + 1}`);
    }
    if (this.opts.keep > 0) fs.renameSync(this.opts.file, `${this.opts.file}.1`);
    else fs.truncateSync(this.opts.file, 0);
    this.openFile();
  }
}
