// The text of a run's log document: the daemon's log entries about that run (no vscode).
import { logEntry, type LogEntry, type RunSummary } from '../../daemon/protocol';
import { duration, elapsed } from '../format';
import { formatEntry } from './LogCursor';

/** True when an entry is about the run: its fields name it, or its message does. */
export function isAboutRun(e: LogEntry, runId: string): boolean {
  const f = e.fields ?? {};
  return f.run === runId || f.runId === runId || f.id === runId || e.message.includes(runId);
}

/** The entries of the daemon's log file (one JSON object per line); lines that are not entries are skipped. */
export function parseLogFile(text: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = logEntry.safeParse(JSON.parse(line));
      if (e.success) out.push(e.data);
    } catch {
      /* a torn last line */
    }
  }
  return out;
}

export function runLogText(runId: string, run: RunSummary | undefined, entries: LogEntry[], logPath: string | undefined, source = "the daemon's recent log"): string {
  const mine = entries.filter((e) => isAboutRun(e, runId));
  const head = [`# Fine-tune run ${runId}`];
  if (run) {
    const ms = elapsed(run.startedAt, run.endedAt);
    head.push(`# ${run.status}${ms !== undefined ? ` after ${duration(ms)}` : ''}; ${run.trigger}; ${run.baseModel} (${run.task}); ${run.snapshot.count} samples${run.version ? `; landed as ${run.version}` : ''}`);
    if (run.error) head.push(`# error: ${run.error.message}${run.error.hint ? ` (${run.error.hint})` : ''}`);
  }
  head.push(`# ${mine.length} entries from ${source}${logPath ? `; the full log is ${logPath}` : ''}`, '');
  const body = mine.map((e) => `${e.time} ${e.level.toUpperCase().padEnd(5)} ${formatEntry(e)}`);
  if (!mine.length) body.push(`(no entries about this run in ${source})`);
  return [...head, ...body, ''].join('\n');
}
