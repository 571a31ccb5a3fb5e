// The daemon's saved indexes (data/.flywheel/state.db, SQLite): what it learnt by reading the
// dataset and the journals, so a start with nothing changed on disk reads neither again. Nothing
// here is a source of truth: every entry is derived from the dataset and the journals and says
// which state of them it was derived from, so a database that is missing, from another schema
// or corrupt is rebuilt from them (with a log line) and no sample or score is ever lost.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describeError } from './errors';
import type { StoreLogger } from './logger';
import { refuseLinkSync } from '../workspace/noFollow';

export const STATE_DB = 'state.db';
/** Bump when a table changes: an older database is then rebuilt, never read with the new code. */
export const SCHEMA_VERSION = 1;

/** A saved index: a small JSON description plus its large parts as blobs. */
export interface Snapshot {
  meta: unknown;
  parts: Record<string, Buffer>;
}

type Driver = typeof BetterSqlite3;
let driver: Driver | null | undefined;

/** The SQLite binding, or null where its native module cannot load (the store then reads files, as before). */
function loadDriver(logger: StoreLogger): Driver | null {
  if (driver !== undefined) return driver;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native module, loaded only when used
    driver = require('better-sqlite3') as Driver;
  } catch (error) {
    logger.warn(
      `saved indexes are off: the SQLite module (better-sqlite3) did not load (${describeError(error)}); every start reads the dataset and journals in full, which is slower on a big dataset but loses nothing. In a checkout, "npm install" builds it; the packaged extension does not include it yet.`,
    );
    driver = null;
  }
  return driver;
}

export class StateDb {
  private constructor(
    readonly file: string,
    private readonly db: BetterSqlite3.Database,
  ) {}

  /**
   * Open (creating, migrating or rebuilding as needed) stateDir/state.db, run `fn`, close it.
   * Undefined when the database cannot be used at all; the caller then works from the files.
   */
  static use<T>(stateDir: string, logger: StoreLogger, fn: (db: StateDb) => T): T | undefined {
    const db = StateDb.open(stateDir, logger);
    if (!db) return undefined;
    try {
      return fn(db);
    } catch (error) {
      logger.warn(`${db.file}: ${describeError(error)}; the saved indexes are not used this time (nothing is lost: they are rebuilt from the dataset and journals).`);
      return undefined;
    } finally {
      db.close();
    }
  }

  private static open(stateDir: string, logger: StoreLogger): StateDb | undefined {
    const Database = loadDriver(logger);
    if (!Database) return undefined;
    const file = path.join(stateDir, STATE_DB);
    // SQLite follows links when it opens a file; the daemon never writes through one.
    for (const f of [file, `${file}-wal`, `${file}-shm`]) refuseLinkSync(f);
    for (let attempt = 1; ; attempt++) {
      let db: BetterSqlite3.Database | undefined;
      try {
        db = new Database(file);
        db.pragma('journal_mode = WAL');
        // A lost last transaction only costs a re-read on the next start: no fsync per commit.
        db.pragma('synchronous = NORMAL');
        const state = new StateDb(file, db);
        state.migrate(logger);
        return state;
      } catch (error) {
        db?.close();
        if (attempt > 1) {
          logger.warn(`${file} cannot be used (${describeError(error)}); every start reads the dataset and journals in full until it can.`);
          return undefined;
        }
        // Corrupt or not a database at all: it only holds what the files hold, so start it afresh.
        logger.warn(`${file} is unreadable (${describeError(error)}); rebuilding it from the dataset and journals, nothing is lost.`);
        for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
      }
    }
  }

  /** Creates the tables, or rebuilds them when the database has another schema version. */
  private migrate(logger: StoreLogger): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    // Every table only holds derived data, so moving between versions is dropping and refilling.
    if (version !== 0 && version !== SCHEMA_VERSION) {
      logger.info(`${this.file} has schema version ${version}, this release uses ${SCHEMA_VERSION}; rebuilding it from the dataset and journals.`);
    }
    if (version === SCHEMA_VERSION) {
      this.db.prepare('SELECT count(*) FROM snapshots').get(); // fails here, not later, if the file is damaged
      return;
    }
    this.db.transaction(() => {
      this.db.exec('DROP TABLE IF EXISTS snapshot_parts; DROP TABLE IF EXISTS snapshots;');
      this.db.exec('CREATE TABLE snapshots (name TEXT PRIMARY KEY, meta TEXT NOT NULL) WITHOUT ROWID');
      this.db.exec('CREATE TABLE snapshot_parts (name TEXT NOT NULL, part TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (name, part)) WITHOUT ROWID');
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  read(name: string): Snapshot | undefined {
    const row = this.db.prepare('SELECT meta FROM snapshots WHERE name = ?').get(name) as { meta: string } | undefined;
    if (!row) return undefined;
    const parts: Record<string, Buffer> = {};
    for (const p of this.db.prepare('SELECT part, data FROM snapshot_parts WHERE name = ?').all(name) as { part: string; data: Buffer }[]) parts[p.part] = p.data;
    return { meta: JSON.parse(row.meta), parts };
  }

  /** Replaces the snapshot `name` in one transaction: a reader sees the old one or the new one. */
  write(name: string, snapshot: Snapshot): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM snapshot_parts WHERE name = ?').run(name);
      this.db.prepare('INSERT OR REPLACE INTO snapshots (name, meta) VALUES (?, ?)').run(name, JSON.stringify(snapshot.meta));
      const insert = this.db.prepare('INSERT INTO snapshot_parts (name, part, data) VALUES (?, ?, ?)');
      for (const [part, data] of Object.entries(snapshot.parts)) insert.run(name, part, data);
    })();
  }

  /** Forget `name` (its files changed in a way it cannot follow). */
  remove(name: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM snapshot_parts WHERE name = ?').run(name);
      this.db.prepare('DELETE FROM snapshots WHERE name = ?').run(name);
    })();
  }

  private close(): void {
    this.db.close();
  }
}
