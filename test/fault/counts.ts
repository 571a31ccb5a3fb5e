// The fault tier's counts, summed over its tests and printed once at the end (a mocha root hook:
// test/.mocharc.fault.json requires this file), so `npm test` shows what the tier proved.
export interface Counts {
  acknowledgedLost?: number;
  crashes?: number;
  killRounds?: number;
  storageFaults?: number;
  frames?: number;
  /** The RSS ceiling a test held, and the peak it saw (bytes). */
  rssCeiling?: number;
  rssPeak?: number;
}

const totals: Required<Counts> = { acknowledgedLost: 0, crashes: 0, killRounds: 0, storageFaults: 0, frames: 0, rssCeiling: 0, rssPeak: 0 };

export const faultCounts = {
  add(c: Counts): void {
    for (const k of ['acknowledgedLost', 'crashes', 'killRounds', 'storageFaults', 'frames'] as const) totals[k] += c[k] ?? 0;
    if (c.rssCeiling) totals.rssCeiling = Math.max(totals.rssCeiling, c.rssCeiling);
    if (c.rssPeak) totals.rssPeak = Math.max(totals.rssPeak, c.rssPeak);
  },
  line(): string {
    const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
    const rss = totals.rssCeiling ? `RSS ceiling ${mb(totals.rssCeiling)} held (peak ${mb(totals.rssPeak)})` : 'RSS ceiling not measured';
    return `fault tier: acknowledged lost: ${totals.acknowledgedLost}, crashes: ${totals.crashes}, ${rss}; ${totals.killRounds} kill -9 rounds, ${totals.storageFaults} storage fault points, ${totals.frames} fuzzed frames`;
  },
};

export const mochaHooks = {
  afterAll(): void {
    console.log(`\n  ${faultCounts.line()}\n`);
  },
};
