// The daemon's log in the 'Fine-tune' output channel: the recent entries on each connection
// (logs/tail from the last entry seen), then each batch as it is appended (logs/didAppend).
import type * as vscode from 'vscode';
import { LogsDidAppend, LogsTail, type LogEntry } from '../../daemon/protocol';
import type { DaemonApi } from '../daemon/DaemonApi';
import { describeError } from '../errors';
import { Emitter } from '../util/Emitter';
import { LogCursor, formatEntry } from './LogCursor';

export class DaemonLog implements vscode.Disposable {
  private readonly cursor = new LogCursor();
  private readonly subscriptions: { dispose(): void }[] = [];
  private catchingUp = false;
  private readonly held: LogEntry[] = [];
  private readonly entries = new Emitter<LogEntry[]>();
  /** Entries not seen before, oldest first (for the run panel). */
  readonly onEntries = this.entries.event;

  constructor(
    private readonly api: DaemonApi,
    private readonly channel: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(api.on(LogsDidAppend)((p) => this.show(p.entries)));
  }

  /** After a (re)connection: fetch what was logged since the last entry this window saw. */
  async catchUp(daemonPid: number | undefined): Promise<void> {
    const after = this.cursor.resume(daemonPid);
    this.catchingUp = true;
    let recent: LogEntry[] = [];
    try {
      recent = (await this.api.request(LogsTail, { after, limit: after < 0 ? 200 : 5000 })).entries;
    } catch (err) {
      this.channel.warn(`could not read the daemon's recent log: ${describeError(err)}`);
    }
    this.catchingUp = false;
    this.show([...recent, ...this.held.splice(0)]);
  }

  private show(entries: LogEntry[]): void {
    // Appends that arrive while the tail is in flight wait for it, to keep the order.
    if (this.catchingUp) {
      this.held.push(...entries);
      return;
    }
    const fresh = this.cursor.accept(entries);
    if (fresh.length) this.entries.fire(fresh);
    for (const e of fresh) {
      const line = formatEntry(e);
      switch (e.level) {
        case 'debug':
          this.channel.debug(line);
          break;
        case 'info':
          this.channel.info(line);
          break;
        case 'warn':
          this.channel.warn(line);
          break;
        case 'error':
          this.channel.error(line);
          break;
      }
    }
  }

  dispose(): void {
    this.entries.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}
