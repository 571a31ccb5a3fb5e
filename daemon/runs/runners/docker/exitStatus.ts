// How a finished container ended, in the user's terms. Order of precedence: a completed run; a
// cancel (ours, or the trainer's own `cancelled`); the trainer's `failed` reason and hint; the
// container's signatures (host OOM kill, shared memory, signals); the bare exit code. A stall
// the runner stopped comes before all but a completed run.
import { exitFromTrainer } from '../trainerOutput';
import type { RunExit, TrainerEvent } from '../types';

export const OOM_MESSAGE = 'out of memory: lower batch_size or max_length, or use method lora/qlora (finetuning.docker.memory is the container limit)';
export const OOM_HINT = 'raise finetuning.docker.memory if the host has the memory to spare';

export interface ContainerEnd {
  exitCode: number | null;
  oomKilled: boolean;
  cancelRequested: boolean;
  /** The runner killed it because it printed nothing for this long. */
  stalledMs?: number;
  lastFinal?: TrainerEvent;
  stderrTail: string[];
}

export function exitOfContainer(end: ContainerEnd): RunExit {
  const base = exitFromTrainer(end.exitCode, end.lastFinal, end.cancelRequested);
  // The runner stopped a stalled run: not the user's cancel, even though the trainer exits as cancelled.
  if (end.stalledMs !== undefined && base.status !== 'succeeded' && !end.cancelRequested) {
    const minutes = Math.round((end.stalledMs / 60_000) * 10) / 10;
    return {
      status: 'failed',
      exitCode: end.exitCode,
      error: { message: `stalled: the trainer printed nothing for ${minutes} minutes and was stopped`, hint: 'see logs/finetuning.log for its last output; a model download or a hung GPU are the usual causes' },
    };
  }
  if (base.status !== 'failed' || end.lastFinal?.event === 'failed') return base;
  if (end.oomKilled) return { status: 'failed', exitCode: end.exitCode, error: { message: OOM_MESSAGE, hint: OOM_HINT } };
  const tail = end.stderrTail;
  const text = tail.join('\n');
  const last = tail.length ? ` — last output: ${truncate(tail[tail.length - 1], 300)}` : '';
  if (/bus error/i.test(text) && /shared memory|shm/i.test(text)) {
    return { status: 'failed', exitCode: end.exitCode, error: { message: `the trainer ran out of shared memory (/dev/shm)${last}`, hint: 'raise finetuning.docker.shm_size (e.g. "8g")' } };
  }
  if (end.exitCode !== null && end.exitCode > 128) {
    const signal = SIGNALS[end.exitCode - 128] ?? `signal ${end.exitCode - 128}`;
    return {
      status: 'failed',
      exitCode: end.exitCode,
      error: { message: `the trainer was killed by ${signal} (exit code ${end.exitCode})${last}`, hint: base.error?.hint },
    };
  }
  if (!base.error) return base;
  return { ...base, error: { ...base.error, message: base.error.message + last } };
}

const SIGNALS: Record<number, string> = { 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV (a crash)', 15: 'SIGTERM' };

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
