// Turns the trainer's raw output into lines and events. A JSON line can arrive split across
// chunks (pipe reads, Docker frames), so lines are reassembled before parsing.
import { readTrainerLine } from './trainerEvents';
import type { EngineRecord, RunExit, RunListener, TrainerEvent } from './types';
import { TRAINER_EXIT } from './types';

export class LineBuffer {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => l.replace(/\r$/, ''));
  }

  flush(): string[] {
    const last = this.rest;
    this.rest = '';
    return last ? [last] : [];
  }
}

/** The event on a stdout line; undefined for plain output and for malformed events (the daemon logs those). */
export function parseEvent(line: string): TrainerEvent | undefined {
  const read = readTrainerLine(line);
  return read && 'event' in read ? read.event : undefined;
}

/** Feeds stdout lines to the listener as events (when they are) and as log lines (always). */
export function stdoutSink(listener: RunListener, seen: (e: TrainerEvent) => void): (line: string) => void {
  return (line) => {
    const e = parseEvent(line);
    if (e) {
      seen(e);
      listener.onEvent(e);
    }
    listener.onLog(line, 'stdout');
  };
}

/**
 * What a finished trainer process means. The trainer's own final event wins (it knows the
 * reason and the hint); a cancel the daemon asked for is "cancelled" whatever the code.
 */
export function exitFromTrainer(exitCode: number | null, lastEvent: TrainerEvent | undefined, cancelRequested: boolean): RunExit {
  if (lastEvent?.event === 'completed' && (exitCode === TRAINER_EXIT.ok || exitCode === null)) return { status: 'succeeded', exitCode, used: usedByTrainer(lastEvent) };
  if (cancelRequested || lastEvent?.event === 'cancelled' || exitCode === TRAINER_EXIT.cancelled) return { status: 'cancelled', exitCode };
  if (lastEvent?.event === 'failed') {
    return { status: 'failed', exitCode, error: { message: lastEvent.reason, ...(lastEvent.hint ? { hint: lastEvent.hint } : {}) } };
  }
  if (exitCode === TRAINER_EXIT.ok) return { status: 'failed', exitCode, error: { message: 'the trainer exited without reporting completion', hint: 'see logs/finetuning.log for its output' } };
  return {
    status: 'failed',
    exitCode,
    error: { message: `the trainer exited with code ${exitCode ?? 'unknown'}`, hint: 'see logs/finetuning.log for its output' },
  };
}

/** The final events that settle a run; progress events are not. */
export function isFinalEvent(e: TrainerEvent): boolean {
  return e.event === 'completed' || e.event === 'failed' || e.event === 'cancelled';
}

/** How many processes the trainer ran with ('auto' is resolved by the trainer itself). */
function usedByTrainer(completed: TrainerEvent & { event: 'completed' }): EngineRecord {
  const processes = completed.metrics.processes;
  return { processes: typeof processes === 'number' && Number.isInteger(processes) && processes > 0 ? processes : 1 };
}
