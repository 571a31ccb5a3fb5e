// Group commit: callers that arrive while a commit (write + fsync) is in flight are committed
// together by the next one, so N concurrent appends cost about two fsyncs instead of N.
interface Waiter<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, R> {
  private queue: Waiter<I, R>[] = [];
  private running: Promise<void> | undefined;
  /** Number of commits run so far (one write + fsync each). */
  commits = 0;

  /** `commit` gets every queued item and returns one result per item, in order. */
  constructor(private readonly commit: (items: I[]) => Promise<R[]>) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.running ??= this.drain();
    });
  }

  /** Resolves once nothing is queued or in flight. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    // Let callers in the same tick (Promise.all of appends) join the first commit.
    await Promise.resolve();
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      this.commits++;
      try {
        const results = await this.commit(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.running = undefined;
  }
}
