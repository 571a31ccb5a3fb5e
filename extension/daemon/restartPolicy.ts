// How often a lost or failed daemon connection is remade: like vscode-languageclient's default
// (give up after 5 restarts in 3 minutes), with a growing delay between attempts. Pure.
export interface RestartDecision {
  allowed: boolean;
  /** 1-based attempt number within the window. */
  attempt: number;
  max: number;
  delayMs: number;
}

export class RestartPolicy {
  private readonly times: number[] = [];

  constructor(
    readonly max = 5,
    readonly windowMs = 3 * 60_000,
    private readonly baseDelayMs = 500,
    private readonly maxDelayMs = 8_000,
  ) {}

  /** Records a restart at `now` and says whether it may go ahead, and after how long. */
  next(now: number): RestartDecision {
    while (this.times.length && now - this.times[0] > this.windowMs) this.times.shift();
    if (this.times.length >= this.max) return { allowed: false, attempt: this.times.length + 1, max: this.max, delayMs: 0 };
    this.times.push(now);
    const attempt = this.times.length;
    return { allowed: true, attempt, max: this.max, delayMs: Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)) };
  }

  /** A restart asked for by the user starts a fresh count. */
  reset(): void {
    this.times.length = 0;
  }
}
