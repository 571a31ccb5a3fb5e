// What the panel knows, rebuilt from host events after every load. Lives in memory only.
import type { ConnectionState, LogEntry, ModelVersion, PanelConfig, PanelEvent, PanelJudge, RunSummary, Status } from '../daemon/protocol';

export interface ProgressPoint {
  step: number;
  totalSteps: number;
  epoch?: number;
  loss?: number;
  /** When the host received it (ms since the epoch). */
  at: number;
}

export interface LogLine {
  /** Unique within the panel: host seq and index in its batch. */
  key: string;
  seq: number;
  entry: LogEntry;
}

const MAX_POINTS = 5000;
const MAX_RUNS_WITH_POINTS = 5;
const MAX_LOG_LINES = 1000;
const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

export class PanelModel {
  connection: { state: ConnectionState; message?: string } | null = null;
  status: Status | null = null;
  config: PanelConfig | null = null;
  readonly runs = new Map<string, RunSummary>();
  readonly progress = new Map<string, ProgressPoint[]>();
  logs: LogLine[] = [];
  versions: ModelVersion[] = [];
  judge: PanelJudge | null = null;
  /** Bumped when everything is forgotten, so views rebuild instead of appending. */
  generation = 0;
  /** The cursor saved before a reload of the same host log: log lines after it are new to the user. */
  lastSeen = -1;

  reset(lastSeen = -1): void {
    this.connection = null;
    this.status = null;
    this.config = null;
    this.runs.clear();
    this.progress.clear();
    this.logs = [];
    this.versions = [];
    this.judge = null;
    this.lastSeen = lastSeen;
    this.generation++;
  }

  apply(event: PanelEvent): void {
    switch (event.method) {
      case 'connection/didChange':
        this.connection = { state: event.params.state, message: event.params.message };
        break;
      case 'status/didChange':
        this.status = event.params.status;
        if (event.params.status.activeRun) this.upsertRun(event.params.status.activeRun);
        break;
      case 'config/didChange':
        this.config = event.params.config;
        break;
      case 'runs/didList':
        this.runs.clear();
        for (const r of event.params.runs) this.runs.set(r.id, r);
        break;
      case 'runs/didChange':
        this.upsertRun(event.params.run);
        break;
      case 'runs/didProgress': {
        const { id, progress, at } = event.params;
        this.addPoint(id, { step: progress.step, totalSteps: progress.totalSteps, epoch: progress.epoch, loss: progress.loss, at: Date.parse(at) || Date.now() });
        const run = this.runs.get(id);
        if (run && !FINISHED.has(run.status)) this.runs.set(id, { ...run, progress });
        break;
      }
      case 'logs/didAppend':
        event.params.entries.forEach((entry, i) => this.logs.push({ key: `${event.params.seq}:${i}`, seq: event.params.seq, entry }));
        if (this.logs.length > MAX_LOG_LINES) this.logs = this.logs.slice(-MAX_LOG_LINES);
        break;
      case 'models/didList':
        this.versions = event.params.versions;
        break;
      case 'judge/didChange':
        this.judge = event.params.judge;
        break;
    }
  }

  /** Runs newest first. */
  history(): RunSummary[] {
    return [...this.runs.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /** The queued or running run, as fresh as the panel knows it. */
  activeRun(): RunSummary | null {
    for (const r of this.runs.values()) if (r.status === 'queued' || r.status === 'running') return r;
    return null;
  }

  /** The run the user picked, else the active run, else the latest. */
  displayedRun(selectedId: string | null): RunSummary | null {
    return (selectedId !== null ? this.runs.get(selectedId) : undefined) ?? this.activeRun() ?? this.history()[0] ?? null;
  }

  /** The version a run landed, else (no run) the current version. */
  versionFor(run: RunSummary | null): ModelVersion | null {
    if (!run) return this.versions.find((v) => v.current) ?? this.status?.currentModel ?? null;
    return this.versions.find((v) => v.runId === run.id) ?? (run.version ? this.versions.find((v) => v.version === run.version) : undefined) ?? null;
  }

  private upsertRun(run: RunSummary): void {
    this.runs.set(run.id, run);
  }

  private addPoint(id: string, p: ProgressPoint): void {
    let points = this.progress.get(id);
    if (!points) {
      points = [];
      this.progress.set(id, points);
      if (this.progress.size > MAX_RUNS_WITH_POINTS) this.progress.delete(this.progress.keys().next().value!);
    }
    // A resumed trainer starts again from a checkpoint: drop the steps it will redo.
    while (points.length > 0 && points[points.length - 1]!.step >= p.step) points.pop();
    points.push(p);
    if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
  }
}
