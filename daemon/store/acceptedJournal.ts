// The journal of every sample the store accepted (stateDir/accepted.jsonl). Only the daemon
// writes it, so it still says what was accepted after the user edited or emptied the dataset.
import * as path from 'node:path';
import { AppendLog, type AppendIO } from './AppendLog';
import { IdSlots } from './IdSlots';
import type { StoreLogger } from './logger';
import { sampleProblem, type SampleRecord } from './sampleCheck';

export interface AcceptedRecord {
  id: string;
  /** ISO time of acceptance. */
  at: string;
  sample: SampleRecord;
}

export function checkAccepted(value: unknown): AcceptedRecord {
  const r = value as Partial<AcceptedRecord> | null;
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || typeof r.at !== 'string') throw new Error('expected {id, at, sample}');
  const problem = sampleProblem(r.sample);
  if (problem !== undefined) throw new Error(`sample: ${problem}`);
  return r as AcceptedRecord;
}

/**
 * Open the journal, collecting the accepted ids (the samples themselves stay on disk). With `saved`
 * (the ids from a saved index and where they end), only the lines after that are read.
 */
export async function openAcceptedJournal(
  stateDir: string,
  options: { logger: StoreLogger; io: AppendIO; maxLineBytes: number },
  saved?: { ids: IdSlots; resumeAt: { offset: number; line: number } },
): Promise<{ journal: AppendLog<AcceptedRecord>; accepted: IdSlots }> {
  const accepted = saved?.ids ?? new IdSlots();
  const journal = await AppendLog.open(acceptedJournalPath(stateDir), checkAccepted, {
    logger: options.logger,
    io: options.io,
    // Journal lines hold a dataset line plus a little: never refuse one the dataset allowed.
    maxLineBytes: Math.max(16 * 1024 * 1024, options.maxLineBytes + 64 * 1024),
    onRecord: (record) => accepted.add(record.id),
    resumeAt: saved?.resumeAt,
  });
  return { journal, accepted };
}

export function acceptedJournalPath(stateDir: string): string {
  return path.join(stateDir, 'accepted.jsonl');
}
