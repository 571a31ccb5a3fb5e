// The workspace's own judge calibrations, versioned beside the dataset:
//   data/.flywheel/calibration/v<N>.json   one fitted calibration each, never changed once written
//   data/.flywheel/calibration/current.json which one the judge uses (null: the shipped one)
// Every file is replaced atomically (temp, fsync, rename, fsync the folder), so a crash leaves the
// old pointer or the new one. Each version names the one it replaced, so a revert goes back
// exactly one confirmation, however the versions were reached.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DomainError } from '../../errors/DomainError';
import { writeFileAtomic } from '../../store/atomicWrite';
import { isErrno } from '../../store/errors';
import { calibrationSchema, calibrationId, type Calibration } from './Calibration';

const versionName = z.string().regex(/^v[1-9]\d*$/);

/** What people were shown when they confirmed it, kept for `finetune judge calibrations`. */
const figures = z.object({ precision: z.number().nullable(), recall: z.number().nullable(), auc: z.number().nullable(), spearman: z.number().nullable() });

const versionFile = z.object({
  format: z.literal(1),
  version: versionName,
  previous: versionName.nullable(),
  savedAt: z.string(),
  calibration: calibrationSchema,
  before: figures.optional(),
  after: figures.optional(),
});

const pointerFile = z.object({ format: z.literal(1), current: versionName.nullable(), at: z.string() });

export type StoredCalibration = z.infer<typeof versionFile> & { id: string };
export type CalibrationFigures = z.infer<typeof figures>;

export class CalibrationStore {
  private active: StoredCalibration | null = null;
  private broken: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string) {}

  /** Never fails on a damaged file: the judge falls back to its shipped calibration and `problem` says why. */
  static async open(stateDir: string): Promise<CalibrationStore> {
    const store = new CalibrationStore(path.join(stateDir, 'calibration'));
    try {
      const pointer = await store.readPointer();
      store.active = pointer?.current ? await store.read(pointer.current) : null;
    } catch (err) {
      store.broken = (err as Error).message;
    }
    return store;
  }

  /** The calibration the workspace chose, or null for the judge's shipped one. */
  get current(): StoredCalibration | null {
    return this.active;
  }

  /** A damaged calibration file found on open, in words; the judge uses its shipped calibration meanwhile. */
  get problem(): string | null {
    return this.broken;
  }

  /** What createJudge takes as the workspace's own calibrations. */
  calibrations(): Calibration[] {
    return this.active ? [this.active.calibration] : [];
  }

  /** Every saved version, newest first; unreadable ones are skipped (the pointer never names them). */
  async list(): Promise<StoredCalibration[]> {
    const out: StoredCalibration[] = [];
    for (const v of await this.versionNames()) {
      try {
        out.push(await this.read(v));
      } catch {
        // A version left half-written by a crash before its rename cannot exist; anything else is reported by open().
      }
    }
    return out.sort((a, b) => number(b.version) - number(a.version));
  }

  /** Writes a new version and makes it current. */
  save(calibration: Calibration, shown: { before?: CalibrationFigures; after?: CalibrationFigures } = {}): Promise<StoredCalibration> {
    return this.serial(async () => {
      // Numbered by file name, readable or not: a damaged version is never overwritten.
      const version = `v${(await this.versionNames()).reduce((m, v) => Math.max(m, number(v)), 0) + 1}`;
      const file = versionFile.parse({ format: 1, version, previous: this.active?.version ?? null, savedAt: new Date().toISOString(), calibration, ...shown });
      await fsp.mkdir(this.dir, { recursive: true });
      await writeFileAtomic(path.join(this.dir, `${version}.json`), JSON.stringify(file, null, 2) + '\n');
      await this.point(version);
      this.active = { ...file, id: calibrationId(file.calibration) };
      this.broken = null;
      return this.active;
    });
  }

  /** Goes back to the version the current one replaced (null: the shipped calibration). */
  revert(): Promise<{ from: StoredCalibration; to: StoredCalibration | null }> {
    return this.serial(async () => {
      const from = this.active;
      if (!from) {
        throw new DomainError('no-earlier-calibration', 'the judge already uses its shipped calibration; there is no workspace calibration to revert', 'see the saved versions with "finetune judge calibrations"');
      }
      const to = from.previous ? await this.readForRevert(from.previous) : null;
      await this.point(to?.version ?? null);
      this.active = to;
      return { from, to };
    });
  }

  private async readForRevert(version: string): Promise<StoredCalibration> {
    try {
      return await this.read(version);
    } catch (err) {
      throw new DomainError('store-invalid', `cannot go back to calibration ${version}: ${(err as Error).message}`, 'calibrate again with "finetune judge calibrate" to replace it');
    }
  }

  private async versionNames(): Promise<string[]> {
    try {
      return (await fsp.readdir(this.dir)).filter((f) => /^v[1-9]\d*\.json$/.test(f)).map((f) => f.slice(0, -5));
    } catch (err) {
      if (isErrno(err, 'ENOENT')) return [];
      throw err;
    }
  }

  private async point(version: string | null): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    await writeFileAtomic(path.join(this.dir, 'current.json'), JSON.stringify({ format: 1, current: version, at: new Date().toISOString() }, null, 2) + '\n');
  }

  private async readPointer(): Promise<z.infer<typeof pointerFile> | null> {
    const file = path.join(this.dir, 'current.json');
    const value = await readJson(file);
    if (value === undefined) return null;
    return parse(pointerFile, value, file);
  }

  private async read(version: string): Promise<StoredCalibration> {
    const file = path.join(this.dir, `${version}.json`);
    const value = await readJson(file);
    if (value === undefined) throw new Error(`${file}: missing (named by current.json or as a previous version)`);
    const parsed = parse(versionFile, value, file);
    if (parsed.version !== version) throw new Error(`${file}: says it is ${parsed.version}`);
    return { ...parsed, id: calibrationId(parsed.calibration) };
  }

  private serial<T>(body: () => Promise<T>): Promise<T> {
    const next = this.queue.then(body, body);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function number(version: string): number {
  return Number(version.slice(1));
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`${file}: not a calibration file: ${issues.join('; ')}`);
}
