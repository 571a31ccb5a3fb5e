// One numbering of sample ids for the whole workspace (IdSlots): the dataset index, the accepted
// ids and the assessments all refer to a sample by its slot, so a pass over a million samples
// goes from a line to its verdict through array indexes, with no string and no hash lookup. It is
// saved in state.db with whatever refers to it, and only grows, so a saved index made with an
// earlier (shorter) numbering still holds; each saved index notes the size and last id of the
// numbering it used, and one that does not match the numbering loaded is read again.
import { z } from 'zod';
import { describeError } from './errors';
import { IdSlots } from './IdSlots';
import type { StoreLogger } from './logger';
import { StateDb } from './StateDb';

const SAVED_AS = 'sample-ids';
/** How many ids each numbering had when state.db last got it: it is written again only when it grew. */
const savedSizes = new WeakMap<IdSlots, number>();

const othersSchema = z.array(z.tuple([z.number().int().nonnegative(), z.string()]));

/** The numbering saved in stateDir/state.db, or a new one. */
export function loadSampleIds(stateDir: string, logger: StoreLogger): IdSlots {
  const saved = StateDb.use(stateDir, logger, (db) => db.read(SAVED_AS));
  if (saved?.parts.words) {
    try {
      const ids = IdSlots.fromSaved(saved.parts.words, othersSchema.parse(saved.meta));
      savedSizes.set(ids, ids.size);
      return ids;
    } catch (error) {
      logger.warn(`the saved sample numbering in state.db is damaged (${describeError(error)}); starting a new one (the saved indexes are rebuilt from the files).`);
    }
  }
  return new IdSlots();
}

/** Writes the numbering into `db` if it grew since it was last written (call it in the transaction that saves what refers to it). */
export function writeSampleIds(db: StateDb, ids: IdSlots): void {
  if (savedSizes.get(ids) === ids.size) return;
  const { words, others } = ids.toSaved();
  db.write(SAVED_AS, { meta: others, parts: { words } });
  savedSizes.set(ids, ids.size);
}

/** Which numbering a saved index used: its size then, and its last id. */
export const idsMark = z.object({ size: z.number().int().nonnegative(), last: z.string().nullable() });
export type IdsMark = z.infer<typeof idsMark>;

export function markOf(ids: IdSlots): IdsMark {
  return { size: ids.size, last: ids.size ? ids.idAt(ids.size - 1) : null };
}

/** Whether a saved index that used the numbering `mark` can be read with `ids` (the same numbering, maybe grown since). */
export function sameNumbering(ids: IdSlots, mark: unknown): boolean {
  const m = idsMark.safeParse(mark);
  if (!m.success || m.data.size > ids.size) return false;
  return m.data.size === 0 || ids.idAt(m.data.size - 1) === m.data.last;
}
