// How a run hears its trainer: events go to `onEvent`; a JSON line that is no event of the schema
// is logged with the line and otherwise ignored; other output is kept in the debug log.
import type { Logger } from '../log';
import type { RunSummary } from '../protocol';
import { readTrainerLine } from './runners/trainerEvents';
import type { RunListener, TrainerEvent } from './runners/types';

export function trainerListener(run: Pick<RunSummary, 'id'>, log: Logger, onEvent: (e: TrainerEvent) => void): RunListener {
  return {
    onEvent,
    onLog: (line, stream) => {
      if (!line.trim()) return;
      if (stream === 'stdout' && line.startsWith('{')) {
        const read = readTrainerLine(line);
        if (read && 'problem' in read) log.warn('trainer.event', `run ${run.id}: ignored a trainer event that does not match the schema (${read.problem}): ${line}`, { run: run.id });
        return;
      }
      log.debug('trainer.output', line, { run: run.id, stream });
    },
  };
}
