// The dataset index and the accepted-id set, saved in state.db when the store closes (and after a
// start that had to read), so the next start with nothing changed reads neither the dataset nor
// accepted.jsonl. Each saved index names the file state it was read from; one whose file changed
// in any way but an append is dropped and the file read again, and an append is read on its own.
import * as path from 'node:path';
import { z } from 'zod';
import { DatasetIndex } from './DatasetIndex';
import { describeError } from './errors';
import { fileEnd, onlyGrewSince, type FileEnd } from './fileTail';
import type { IdSlots } from './IdSlots';
import { markOf, sameNumbering, writeSampleIds } from './sampleIds';
import { SlotFlags } from './SlotFlags';
import type { StoreLogger } from './logger';
import { StateDb, type Snapshot } from './StateDb';
import { DAEMON_VERSION } from '../version';

const INDEX = 'dataset-index';
const ACCEPTED = 'accepted-ids';

/**
 * Bump when what is saved, or how a line is parsed, checked or hashed into an id, changes: saved
 * indexes of another format (or release) are not used, so the files are read again.
 */
const FORMAT = 2;

/** What a saved index was made for: another file, line limit, format or release reads the file again. */
interface Made {
  file: string;
  maxLineBytes: number;
  format: number;
  release: string;
}

const madeFor = (file: string, maxLineBytes: number): Made => ({ file, maxLineBytes, format: FORMAT, release: DAEMON_VERSION });
const sameMade = (a: unknown, b: Made) => JSON.stringify(a) === JSON.stringify(b);

const acceptedMeta = z.object({
  made: z.unknown(),
  end: z.object({ offset: z.number().int().nonnegative(), line: z.number().int().positive() }),
  ino: z.number(),
  count: z.number().int().nonnegative(),
  ids: z.unknown(),
});

const journalMeta = z.object({ made: z.unknown(), offset: z.number().int().nonnegative(), ino: z.number() });
const journalEntry = (file: string) => `journal:${path.basename(file)}`;

/**
 * How far the journal `file` was read and schema-checked by an earlier start, when it has only
 * grown since: its records up to there need no second check.
 */
export async function checkedJournalEnd(stateDir: string, file: string, logger: StoreLogger): Promise<number | undefined> {
  const saved = StateDb.use(stateDir, logger, (db) => db.read(journalEntry(file)));
  const meta = journalMeta.safeParse(saved?.meta);
  if (!saved?.parts.tail || !meta.success || !sameMade(meta.data.made, madeFor(file, 0))) return undefined;
  const { offset, ino } = meta.data;
  return (await onlyGrewSince(file, { ino, size: offset, tail: saved.parts.tail })) ? offset : undefined;
}

/** Notes that the journal `file` is whole and checked up to `offset` (see checkedJournalEnd). */
export async function saveJournalEnd(stateDir: string, file: string, offset: number | undefined, logger: StoreLogger): Promise<void> {
  if (!offset) return;
  let end: FileEnd | undefined;
  try {
    end = await fileEnd(file, offset);
  } catch (error) {
    logger.warn(`could not read ${file} to note how far it was checked (${describeError(error)}); the next start checks it in full.`);
  }
  if (end?.size !== offset) return;
  const meta: z.infer<typeof journalMeta> = { made: madeFor(file, 0), offset, ino: end.ino };
  StateDb.use(stateDir, logger, (db) => db.write(journalEntry(file), { meta, parts: { tail: end.tail } }));
}

const journalState = z.object({
  made: z.unknown(),
  end: z.object({ offset: z.number().int().nonnegative(), line: z.number().int().positive() }),
  ino: z.number(),
  ids: z.unknown(),
  state: z.unknown(),
});

/** What an earlier start derived from a journal, and where to go on reading it. */
export interface JournalState {
  state: unknown;
  parts: Record<string, Buffer>;
  resumeAt: { offset: number; line: number };
}

/**
 * What an earlier start derived from the journal `file` and saved as `name` (saveJournalState),
 * when the journal has only grown since: read on from `resumeAt`. Undefined otherwise.
 */
export async function restoreJournalState(stateDir: string, logger: StoreLogger, name: string, file: string, ids: IdSlots): Promise<JournalState | undefined> {
  const saved = StateDb.use(stateDir, logger, (db) => db.read(name));
  const meta = journalState.safeParse(saved?.meta);
  if (!saved?.parts.tail || !meta.success || !sameMade(meta.data.made, madeFor(file, 0)) || !sameNumbering(ids, meta.data.ids)) return undefined;
  const { end, ino, state } = meta.data;
  if (!(await onlyGrewSince(file, { ino, size: end.offset, tail: saved.parts.tail }))) return undefined;
  return { state, parts: saved.parts, resumeAt: end };
}

/**
 * Saves what was derived from the journal `file` up to `end` (where it is whole), as `name`;
 * without an end it forgets it. A failure only costs a slower next start: logged, never thrown.
 */
export async function saveJournalState(stateDir: string, logger: StoreLogger, name: string, file: string, end: { offset: number; line: number } | undefined, ids: IdSlots, saved: Pick<JournalState, 'state' | 'parts'>): Promise<void> {
  let at: FileEnd | undefined;
  try {
    at = end && (await fileEnd(file, end.offset));
  } catch (error) {
    logger.warn(`could not read ${file} to save what was read from it (${describeError(error)}); the next start reads it in full.`);
  }
  StateDb.use(stateDir, logger, (db) => {
    if (!at || at.size !== end?.offset) return db.remove(name);
    writeSampleIds(db, ids);
    const meta: z.infer<typeof journalState> = { made: madeFor(file, 0), end, ino: at.ino, ids: markOf(ids), state: saved.state };
    db.write(name, { meta, parts: { ...saved.parts, tail: at.tail } });
  });
}

export interface Saved {
  index?: Snapshot;
  accepted?: Snapshot;
}

export function loadSaved(stateDir: string, logger: StoreLogger): Saved {
  return StateDb.use(stateDir, logger, (db) => ({ index: db.read(INDEX), accepted: db.read(ACCEPTED) })) ?? {};
}

/**
 * The saved dataset index, brought up to date when the file only grew since (the appended lines
 * are read and returned); undefined when there is none or the file changed otherwise.
 */
export async function restoreIndex(saved: Snapshot | undefined, file: string, maxLineBytes: number, logger: StoreLogger, ids: IdSlots): Promise<{ index: DatasetIndex; appended: string[] } | undefined> {
  const meta = saved?.meta as { made?: unknown; index?: unknown } | undefined;
  if (!saved || !sameMade(meta?.made, madeFor(file, maxLineBytes))) return undefined;
  let index: DatasetIndex;
  try {
    index = DatasetIndex.fromSnapshot({ meta: meta?.index, parts: saved.parts }, ids);
  } catch (error) {
    logger.warn(`the saved index of ${file} is damaged (${describeError(error)}); reading the file instead.`);
    return undefined;
  }
  if (index.tornTail) return undefined; // set aside on a full read
  if (await index.unchangedOnDisk(file)) return { index, appended: [] };
  const appended = await index.readAppended(file, maxLineBytes);
  if (!appended || index.tornTail) return undefined;
  return { index, appended };
}

/** The saved accepted samples and where in accepted.jsonl to go on reading, if the journal only grew since. */
export async function restoreAccepted(saved: Snapshot | undefined, file: string, maxLineBytes: number, ids: IdSlots): Promise<{ accepted: SlotFlags; resumeAt: { offset: number; line: number } } | undefined> {
  if (!saved || !saved.parts.flags || !saved.parts.tail) return undefined;
  const parsed = acceptedMeta.safeParse(saved.meta);
  if (!parsed.success || !sameMade(parsed.data.made, madeFor(file, maxLineBytes)) || !sameNumbering(ids, parsed.data.ids)) return undefined;
  const { end, ino, count } = parsed.data;
  if (!(await onlyGrewSince(file, { ino, size: end.offset, tail: saved.parts.tail }))) return undefined;
  let accepted: SlotFlags;
  try {
    accepted = SlotFlags.fromBytes(saved.parts.flags);
  } catch {
    return undefined; // damaged: the journal is read instead
  }
  return accepted.count === count ? { accepted, resumeAt: end } : undefined;
}

export interface ToSave {
  datasetFile: string;
  index: DatasetIndex;
  journalFile: string;
  /** Where the accepted journal is whole and every id up to there is in `accepted`; undefined: do not save it. */
  journalEnd: { offset: number; line: number } | undefined;
  accepted: SlotFlags;
  /** The numbering both use. */
  ids: IdSlots;
  maxLineBytes: number;
}

/** Saves both indexes; a failure only costs a slower next start, so it is logged, never thrown. */
export async function saveIndexes(stateDir: string, logger: StoreLogger, s: ToSave): Promise<void> {
  let journal: FileEnd | undefined;
  try {
    journal = s.journalEnd && (await fileEnd(s.journalFile, s.journalEnd.offset));
  } catch (error) {
    logger.warn(`could not read ${s.journalFile} to save its index (${describeError(error)}); the next start reads it in full.`);
  }
  const index = s.index.toSnapshot();
  StateDb.use(stateDir, logger, (db) => {
    writeSampleIds(db, s.ids);
    db.write(INDEX, { meta: { made: madeFor(s.datasetFile, s.maxLineBytes), index: index.meta }, parts: index.parts });
    if (journal && journal.size === s.journalEnd?.offset) {
      const meta: z.infer<typeof acceptedMeta> = { made: madeFor(s.journalFile, s.maxLineBytes), end: s.journalEnd, ino: journal.ino, count: s.accepted.count, ids: markOf(s.ids) };
      db.write(ACCEPTED, { meta, parts: { flags: s.accepted.toBytes(s.ids.size), tail: journal.tail } });
    } else {
      db.remove(ACCEPTED);
    }
  });
}
