// Which daemon log entries the output channel has shown: entries carry a sequence number per
// daemon process, so a reconnect resumes after the last one seen, and a new daemon process
// (its numbers start again) starts over. Pure.
import type { LogEntry } from '../../daemon/protocol';

export class LogCursor {
  private last = -1;
  private daemon: string | number | undefined;

  /** The cursor to pass to logs/tail for this daemon instance (its pid, or any identity). */
  resume(daemon: string | number | undefined): number {
    if (daemon === undefined || daemon !== this.daemon) this.last = -1;
    this.daemon = daemon;
    return this.last;
  }

  /** The entries not shown yet, oldest first; remembers the newest. */
  accept(entries: LogEntry[]): LogEntry[] {
    const fresh = entries.filter((e) => e.seq > this.last).sort((a, b) => a.seq - b.seq);
    if (fresh.length) this.last = fresh[fresh.length - 1].seq;
    return fresh;
  }
}

/** One output line for an entry: "[event] message", plus the fields of warnings and errors. */
export function formatEntry(e: LogEntry): string {
  const fields = e.fields && (e.level === 'warn' || e.level === 'error') && Object.keys(e.fields).length ? ` ${safeJson(e.fields)}` : '';
  return `[${e.event}] ${e.message}${fields}`;
}

function safeJson(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s.length > 500 ? `${s.slice(0, 500)}…` : s;
  } catch {
    return '';
  }
}
