// What the extension knows of its workspace's flywheel, kept from the daemon's notifications:
// the connection, the last status, the active run's progress. Views read it; no vscode.
import type { RunSummary, Status } from '../../daemon/protocol';
import type { ConnectionState } from '../daemon/connectionState';
import { isActive } from '../views/runItems';
import { Emitter } from '../util/Emitter';

export class FlywheelState {
  private _connection: ConnectionState = { kind: 'stopped', message: 'not started yet' };
  private _status: Status | undefined;
  private readonly progress = new Map<string, NonNullable<RunSummary['progress']>>();
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  get connection(): ConnectionState {
    return this._connection;
  }

  /** The last status, while connected. */
  get status(): Status | undefined {
    return this._connection.kind === 'running' ? this._status : undefined;
  }

  get activeRun(): RunSummary | undefined {
    return this.status?.activeRun ?? undefined;
  }

  /** The freshest progress of the active run (runs/didProgress is more frequent than status/didChange). */
  get activeProgress(): RunSummary['progress'] {
    const run = this.activeRun;
    if (!run) return null;
    return this.progress.get(run.id) ?? run.progress;
  }

  setConnection(c: ConnectionState): void {
    this._connection = c;
    if (c.kind !== 'running') this.progress.clear();
    this.changed.fire();
  }

  setStatus(s: Status): void {
    this._status = s;
    this.changed.fire();
  }

  setProgress(id: string, progress: NonNullable<RunSummary['progress']>): void {
    // Only a few runs are ever active at once (one running, some queued).
    if (this.progress.size > 16 && !this.progress.has(id)) this.progress.clear();
    this.progress.set(id, progress);
    if (this.activeRun?.id === id) this.changed.fire();
  }

  /** runs/didChange: keeps the status's active run current until the next status arrives. */
  runChanged(run: RunSummary): void {
    const s = this._status;
    if (!s) return;
    if (!isActive(run.status)) this.progress.delete(run.id);
    if (isActive(run.status)) this._status = { ...s, activeRun: run };
    else if (s.activeRun?.id === run.id) this._status = { ...s, activeRun: null };
    else return;
    this.changed.fire();
  }
}
