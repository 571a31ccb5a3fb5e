// The fault tier's counts, summed over its tests and printed once at the end (a mocha root hook:
// test/.mocharc.fault.json requires this file), so `npm test` shows what the tier proved.
import { spawnSync } from 'node:child_process';
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

/** Daemons this process started that are still running: every test must have killed its own. */
function leftoverDaemons(): { pid: number; command: string }[] {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return (r.stdout ?? '')
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m && / daemon /.test(m[2]))
    .map((m) => ({ pid: Number(m[1]), command: m[2] }));
}

export const mochaHooks = {
  afterAll(): void {
    console.log(`\n  ${faultCounts.line()}\n`);
    // A daemon a test forgot would keep this process waiting on its pipes: fail the tier, naming
    // it (after killing it), rather than hang. (test/run.sh also ends a tier that never exits.)
    const left = leftoverDaemons();
    for (const d of left) process.kill(d.pid, 'SIGKILL');
    if (left.length) throw new Error(`daemons left running by the fault tier (killed now): ${left.map((d) => `${d.pid} ${d.command}`).join('; ')}`);
  },
};
