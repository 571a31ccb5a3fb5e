// Caches any Judge's results by sample key + task + judge version: in memory (LRU), optionally
// backed by a persistent store, with concurrent identical requests sharing one call.
import type { Judge, JudgeResult, Sample, TaskType } from './types';

/** Where results outlive the process (the store module implements it). Errors propagate to callers. */
export interface JudgeResultStore {
  get(key: string): Promise<JudgeResult | undefined> | JudgeResult | undefined;
  put(key: string, result: JudgeResult): Promise<void> | void;
}

export interface JudgeCacheOptions {
  /** The sample's stable id (e.g. the store's content hash); the cache adds task and judge version. */
  keyOf: (sample: Sample, task: TaskType) => string;
  /** Results kept in memory; least recently used go first. Default 10,000. */
  maxEntries?: number;
  store?: JudgeResultStore;
}

interface Flight {
  promise: Promise<JudgeResult>;
  /** Aborts the shared call once every caller waiting on it has aborted. */
  controller: AbortController;
  waiters: number;
  settled: boolean;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function copy(r: JudgeResult): JudgeResult {
  return { scores: { ...r.scores }, rationale: { ...r.rationale } };
}

export class JudgeCache implements Judge {
  readonly name: string;
  readonly version: string;
  private readonly memory = new Map<string, JudgeResult>();
  private readonly inflight = new Map<string, Flight>();
  private readonly maxEntries: number;

  constructor(
    private readonly inner: Judge,
    private readonly options: JudgeCacheOptions,
  ) {
    this.name = inner.name;
    this.version = inner.version;
    this.maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError(`maxEntries must be an integer >= 1, got ${this.maxEntries}`);
  }

  /** The key results are stored under: judge version, task, sample key. */
  keyFor(sample: Sample, task: TaskType): string {
    return `${this.inner.version}|${task}|${this.options.keyOf(sample, task)}`;
  }

  get size(): number {
    return this.memory.size;
  }

  clear(): void {
    this.memory.clear();
  }

  async judge(sample: Sample, task: TaskType, signal?: AbortSignal): Promise<JudgeResult> {
    if (signal?.aborted) throw abortReason(signal);
    const key = this.keyFor(sample, task);
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memory.set(key, hit);
      return copy(hit);
    }
    let flight = this.inflight.get(key);
    if (!flight || flight.controller.signal.aborted) flight = this.start(key, sample, task);
    return copy(await this.wait(flight, signal));
  }

  private remember(key: string, result: JudgeResult): void {
    this.memory.delete(key);
    this.memory.set(key, copy(result));
    while (this.memory.size > this.maxEntries) {
      const oldest = this.memory.keys().next().value as string;
      this.memory.delete(oldest);
    }
  }

  private start(key: string, sample: Sample, task: TaskType): Flight {
    const controller = new AbortController();
    const flight: Flight = { controller, waiters: 0, settled: false, promise: Promise.resolve(undefined as never) };
    const store = this.options.store;
    flight.promise = (async () => {
      try {
        const stored = store ? await store.get(key) : undefined;
        if (stored) {
          this.remember(key, stored);
          return stored;
        }
        const result = await this.inner.judge(sample, task, controller.signal);
        this.remember(key, result);
        if (store) await store.put(key, result);
        return result;
      } finally {
        flight.settled = true;
        if (this.inflight.get(key) === flight) this.inflight.delete(key);
      }
    })();
    // Every waiter may have left (aborted); the outcome then has nobody to go to.
    flight.promise.catch(() => {});
    this.inflight.set(key, flight);
    return flight;
  }

  private wait(flight: Flight, signal?: AbortSignal): Promise<JudgeResult> {
    flight.waiters++;
    return new Promise<JudgeResult>((resolve, reject) => {
      const onAbort = () => {
        if (--flight.waiters === 0 && !flight.settled) flight.controller.abort(abortReason(signal!));
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }
}
