import { strict as assert } from 'node:assert';
import type { LogEntry } from '../../../daemon/protocol';
import { RestartPolicy } from '../../../extension/daemon/restartPolicy';
import { LogCursor, formatEntry } from '../../../extension/logs/LogCursor';
import { FlywheelState } from '../../../extension/state/FlywheelState';
import { aRun, aStatus } from './fixtures';

const entry = (seq: number, over: Partial<LogEntry> = {}): LogEntry => ({ seq, time: '2026-11-25T09:00:00.000Z', level: 'info', event: 'e', message: `m${seq}`, ...over });

describe('extension restart policy', () => {
  it('allows 5 restarts in 3 minutes with a growing delay, then gives up until the window moves on', () => {
    const p = new RestartPolicy();
    const t0 = 1_000_000;
    const delays = [0, 1, 2, 3, 4].map((i) => p.next(t0 + i * 1000));
    assert.deepEqual(delays.map((d) => [d.allowed, d.attempt, d.delayMs]), [
      [true, 1, 500],
      [true, 2, 1000],
      [true, 3, 2000],
      [true, 4, 4000],
      [true, 5, 8000],
    ]);
    assert.equal(p.next(t0 + 10_000).allowed, false);
    assert.equal(p.next(t0 + 3 * 60_000 + 1500).allowed, true, 'the first two fell out of the window');
  });

  it('starts a fresh count when the user restarts', () => {
    const p = new RestartPolicy(2);
    p.next(0);
    p.next(1);
    assert.equal(p.next(2).allowed, false);
    p.reset();
    assert.equal(p.next(3).attempt, 1);
  });
});

describe('extension daemon log cursor', () => {
  it('shows each entry once, in order, across reconnections to the same daemon', () => {
    const c = new LogCursor();
    assert.equal(c.resume(42), -1);
    assert.deepEqual(c.accept([entry(1), entry(0)]).map((e) => e.seq), [0, 1]);
    assert.deepEqual(c.accept([entry(1), entry(2)]).map((e) => e.seq), [2]);
    assert.equal(c.resume(42), 2);
    assert.deepEqual(c.accept([entry(2), entry(3)]).map((e) => e.seq), [3]);
  });

  it('starts over for a new daemon process (its numbers start again)', () => {
    const c = new LogCursor();
    c.resume(42);
    c.accept([entry(7)]);
    assert.equal(c.resume(43), -1);
    assert.deepEqual(c.accept([entry(0)]).map((e) => e.seq), [0]);
  });

  it('formats an entry, with the fields of warnings and errors', () => {
    assert.equal(formatEntry(entry(1)), '[e] m1');
    assert.equal(formatEntry(entry(1, { level: 'error', fields: { run: 'r1' } })), '[e] m1 {"run":"r1"}');
  });
});

describe('extension flywheel state', () => {
  it('keeps the active run and its freshest progress, and forgets them when the connection goes', () => {
    const s = new FlywheelState();
    let changes = 0;
    s.onDidChange(() => changes++);
    s.setConnection({ kind: 'running' });
    s.setStatus(aStatus({ activeRun: aRun({ progress: { step: 1, totalSteps: 10 } }) }));
    assert.equal(s.activeProgress?.step, 1);
    s.setProgress(aRun().id, { step: 4, totalSteps: 10 });
    assert.equal(s.activeProgress?.step, 4);
    s.setProgress('another-run', { step: 9, totalSteps: 10 });
    assert.equal(s.activeProgress?.step, 4);
    const active = () => s.activeRun?.id;
    s.runChanged(aRun({ status: 'succeeded' }));
    assert.equal(active(), undefined);
    s.runChanged(aRun({ id: 'run-2', status: 'queued' }));
    assert.equal(active(), 'run-2');
    s.setConnection({ kind: 'down', message: 'gone' });
    assert.equal(s.status, undefined, 'no status is shown from a lost connection');
    assert.equal(changes, 6);
  });
});
