// The journal of every sample the store accepted (stateDir/accepted.jsonl). Only the daemon
// writes it, so it still says what was accepted after the user edited or emptied the dataset.
import * as path from 'node:path';
import { AppendLog, type AppendIO } from './AppendLog';
import type { IdSlots } from './IdSlots';
import { SlotFlags } from './SlotFlags';
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
 * Open the journal, collecting the accepted samples by their slot in `ids` (the samples themselves
 * stay on disk). With `saved` (from a saved index, and where it ends), only the lines after that are read.
 */
export async function openAcceptedJournal(
  stateDir: string,
  options: { logger: StoreLogger; io: AppendIO; maxLineBytes: number },
  ids: IdSlots,
  saved?: { accepted: SlotFlags; resumeAt: { offset: number; line: number } },
): Promise<{ journal: AppendLog<AcceptedRecord>; accepted: SlotFlags }> {
  const accepted = saved?.accepted ?? new SlotFlags();
  const journal = await AppendLog.open(acceptedJournalPath(stateDir), checkAccepted, {
    logger: options.logger,
    io: options.io,
    // Journal lines hold a dataset line plus a little: never refuse one the dataset allowed.
    maxLineBytes: Math.max(16 * 1024 * 1024, options.maxLineBytes + 64 * 1024),
    onRecord: (record) => accepted.set(ids.add(record.id), true),
    resumeAt: saved?.resumeAt,
  });
  return { journal, accepted };
}

export function acceptedJournalPath(stateDir: string): string {
  return path.join(stateDir, 'accepted.jsonl');
}
