// Read-only documents with one run's log (finetune-run-log:/<run id>.log), built from
// logs/tail when opened; 'Show Logs' on a run opens one.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LogsTail, RunsList, type LogEntry } from '../../daemon/protocol';
import type { DaemonApi } from '../daemon/DaemonApi';
import type { FlywheelState } from '../state/FlywheelState';
import { parseLogFile, runLogText } from './runLogText';

/** How much of each log file is read (the newest part). */
const READ_BYTES = 16 * 1024 * 1024;

export const RUN_LOG_SCHEME = 'finetune-run-log';

export class RunLogs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly api: DaemonApi,
    private readonly state: FlywheelState,
    private readonly workspace: string,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(RUN_LOG_SCHEME, this);
  }

  async open(runId: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: RUN_LOG_SCHEME, path: `/${runId}.log` });
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const runId = uri.path.replace(/^\//, '').replace(/\.log$/, '');
    const logPath = this.state.status?.logPath;
    const runs = await this.api.request(RunsList, { limit: 1000 });
    const run = runs.find((r) => r.id === runId);
    // The daemon's log file holds the runs of earlier daemon processes too; its in-memory log
    // (logs/tail) only this process's recent entries.
    const fromFile = logPath ? await this.readLogFiles(path.resolve(this.workspace, logPath)) : undefined;
    if (fromFile) return runLogText(runId, run, fromFile, logPath, 'the daemon\'s log file');
    const tail = await this.api.request(LogsTail, { after: -1, limit: 5000 });
    return runLogText(runId, run, tail.entries, logPath);
  }

  /** Entries of the log file and its last rotation, oldest first; undefined when unreadable. */
  private async readLogFiles(file: string): Promise<LogEntry[] | undefined> {
    const parts: LogEntry[][] = [];
    for (const f of [`${file}.1`, file]) {
      try {
        const handle = await fsp.open(f, 'r');
        try {
          const { size } = await handle.stat();
          const start = Math.max(0, size - READ_BYTES);
          const buf = Buffer.alloc(size - start);
          await handle.read(buf, 0, buf.length, start);
          parts.push(parseLogFile(buf.toString('utf8')));
        } finally {
          await handle.close();
        }
      } catch {
        if (f === file) return undefined;
      }
    }
    return parts.flat();
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
