// Every run's latest state, journaled in data/.flywheel/runs.jsonl so a daemon restart knows
// what was queued, running or done. One run is active (queued or running) at a time.
import { LatestById } from '../assess/LatestById';
import { runSummary, type RunSummary } from '../protocol';
import type { StoreLogger } from '../store/logger';

export const ACTIVE: ReadonlySet<RunSummary['status']> = new Set(['queued', 'running']);

export class RunBook {
  private constructor(private readonly runs: LatestById<RunSummary & { idempotencyKey?: string }>) {}

  static async open(stateDir: string, logger: StoreLogger): Promise<RunBook> {
    const schema = runSummary.extend({ idempotencyKey: runSummary.shape.id.optional() });
    return new RunBook(await LatestById.open(stateDir, 'runs.jsonl', (v) => schema.parse(v), logger));
  }

  get(id: string): RunSummary | undefined {
    return this.runs.get(id);
  }

  /** Newest first. */
  list(limit = Number.POSITIVE_INFINITY): RunSummary[] {
    return this.all().slice(0, limit);
  }

  active(): RunSummary | undefined {
    return this.all().find((r) => ACTIVE.has(r.status));
  }

  byIdempotencyKey(key: string): RunSummary | undefined {
    return this.all().find((r) => (r as { idempotencyKey?: string }).idempotencyKey === key);
  }

  nextId(now = new Date()): string {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    let n = this.runs.size + 1;
    while (this.runs.get(`run-${stamp}-${n}`)) n++;
    return `run-${stamp}-${n}`;
  }

  async save(run: RunSummary, idempotencyKey?: string): Promise<RunSummary> {
    const previousKey = (this.runs.get(run.id) as { idempotencyKey?: string } | undefined)?.idempotencyKey;
    const key = idempotencyKey ?? previousKey;
    await this.runs.record([{ ...run, ...(key ? { idempotencyKey: key } : {}) }]);
    return run;
  }

  close(): Promise<void> {
    return this.runs.close();
  }

  private all(): RunSummary[] {
    const out = this.runs.keys().map((id) => this.runs.get(id)!);
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : b.id.localeCompare(a.id)));
  }
}
