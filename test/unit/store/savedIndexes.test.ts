// The saved indexes in state.db: a start with nothing changed reads neither the dataset nor the
// accepted journal, a change is read as little as it allows, and a database that is missing, from
// another schema, corrupt or a link never costs a sample.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { DomainError } from '../../../daemon/errors/DomainError';
import { DatasetStore } from '../../../daemon/store/DatasetStore';
import { sampleId } from '../../../daemon/store/sampleId';
import { SCHEMA_VERSION, STATE_DB } from '../../../daemon/store/StateDb';
import { recordingLogger } from './helpers';

// About 200 bytes a line, so the first lines lie outside the 4 KiB tail the store checks.
const s = (n: number) => ({ input: `question ${n}, ${'with some context '.repeat(8)}`, output: `answer ${n}` });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('store/saved indexes (state.db)', () => {
  let dir: string;
  let datasetPath: string;
  let stateDir: string;
  let logger: ReturnType<typeof recordingLogger>;

  const reopen = async () => {
    logger = recordingLogger();
    return DatasetStore.open({ datasetPath, stateDir, logger, settleMs: 0 });
  };
  const said = (pattern: RegExp) => logger.lines.some((l) => pattern.test(l));

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'saved-index-'));
    datasetPath = path.join(dir, 'data', 'finetuning_dataset.jsonl');
    stateDir = path.join(dir, 'data', '.flywheel');
    const store = await reopen();
    await store.append(range(0, 50).map(s));
    await store.close();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a start with nothing changed takes the index from state.db, not from the file', async () => {
    // Change a byte in the middle but keep size, mtime and the last bytes: only a store that
    // trusts its saved index (and does not read the file) still sees sample 10. The mtime is a
    // whole second first (utimes cannot restore nanoseconds), and that state saved by a start.
    const mtime = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    fs.utimesSync(datasetPath, mtime, mtime);
    await (await reopen()).close();
    const text = fs.readFileSync(datasetPath, 'utf8');
    fs.writeFileSync(datasetPath, text.replace('question 10,', 'question X0,'));
    fs.utimesSync(datasetPath, mtime, mtime);
    const store = await reopen();
    try {
      assert.ok(said(/50 samples from the saved index; accepted ids from the saved index/), logger.lines.join('\n'));
      assert.equal(store.size, 50);
      assert.ok(store.has(sampleId(s(10))));
    } finally {
      await store.close();
    }
  });

  it('lines another program appended while the daemon was down are read on their own, and then saved', async () => {
    fs.appendFileSync(datasetPath, range(50, 53).map((n) => JSON.stringify(s(n)) + '\n').join(''));
    let store = await reopen();
    assert.ok(said(/50 samples from the saved index, and 3 appended since, read on their own/), logger.lines.join('\n'));
    assert.deepEqual([store.size, store.has(sampleId(s(52)))], [53, true]);
    await store.close();
    store = await reopen();
    assert.ok(said(/53 samples from the saved index; accepted ids/), logger.lines.join('\n'));
    await store.close();
  });

  it('any other edit reads the file again', async () => {
    const lines = fs.readFileSync(datasetPath, 'utf8').split('\n');
    fs.writeFileSync(datasetPath, lines.slice(1).join('\n'));
    const store = await reopen();
    try {
      assert.ok(said(/read in full \(49 samples\)/), logger.lines.join('\n'));
      assert.deepEqual([store.size, store.has(sampleId(s(0))), store.wasAccepted(sampleId(s(0)))], [49, false, true]);
      assert.deepEqual(store.acceptedMissing(), [sampleId(s(0))]);
    } finally {
      await store.close();
    }
  });

  it('samples accepted after the saved index are read from the end of the journal; none is lost or accepted twice', async () => {
    let store = await reopen();
    await store.append(range(50, 60).map(s));
    await store.close();
    // The user empties the dataset: what the daemon accepted is still known from the journal.
    fs.writeFileSync(datasetPath, '');
    store = await reopen();
    try {
      assert.equal(store.acceptedMissing().length, 60);
      const again = await store.append([s(5), s(59), s(60)]);
      assert.deepEqual(again, { appended: [sampleId(s(60))], duplicates: [sampleId(s(5)), sampleId(s(59))] });
    } finally {
      await store.close();
    }
  });

  it('a corrupt state.db is rebuilt with a message, and nothing is lost', async () => {
    fs.writeFileSync(path.join(stateDir, STATE_DB), 'this is not a database'.repeat(500));
    let store = await reopen();
    assert.ok(said(/state\.db is unreadable .*rebuilding it from the dataset and journals, nothing is lost/), logger.lines.join('\n'));
    assert.deepEqual([store.size, range(0, 50).every((n) => store.wasAccepted(sampleId(s(n))))], [50, true]);
    await store.close();
    store = await reopen();
    assert.ok(said(/50 samples from the saved index/), 'the rebuilt database is used on the next start');
    await store.close();
  });

  it('a state.db from another schema version is rebuilt, not read (migration)', async () => {
    const db = new Database(path.join(stateDir, STATE_DB));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const store = await reopen();
    try {
      assert.ok(said(new RegExp(`schema version ${SCHEMA_VERSION + 1}, this release uses ${SCHEMA_VERSION}; rebuilding`)), logger.lines.join('\n'));
      assert.ok(said(/read in full \(50 samples\)/));
      assert.equal(store.size, 50);
    } finally {
      await store.close();
    }
  });

  it('a workspace from a release without state.db opens as it is, and gets one', async () => {
    fs.rmSync(path.join(stateDir, STATE_DB));
    const store = await reopen();
    try {
      assert.ok(said(/read in full \(50 samples\)/));
      assert.equal(store.size, 50);
      assert.ok(fs.existsSync(path.join(stateDir, STATE_DB)));
    } finally {
      await store.close();
    }
  });

  it('saved indexes from the previous release (an older saved format) are read again, not used', async () => {
    const db = new Database(path.join(stateDir, STATE_DB));
    for (const row of db.prepare('SELECT name, meta FROM snapshots').all() as { name: string; meta: string }[]) {
      db.prepare('UPDATE snapshots SET meta = ? WHERE name = ?').run(row.meta.replace(/"format":\d+/, '"format":1'), row.name);
    }
    db.close();
    let store = await reopen();
    assert.ok(said(/read in full \(50 samples\)/), logger.lines.join('\n'));
    assert.ok(said(/accepted ids read from the journal/), logger.lines.join('\n'));
    assert.deepEqual([store.size, range(0, 50).every((n) => store.wasAccepted(sampleId(s(n))))], [50, true]);
    await store.close();
    store = await reopen();
    assert.ok(said(/50 samples from the saved index; accepted ids from the saved index/), 'saved again in the current format');
    await store.close();
  });

  it('saved indexes are read again when the numbering of sample ids they used is lost or differs; nothing is lost', async () => {
    // Lost: the numbering's row is gone.
    let db = new Database(path.join(stateDir, STATE_DB));
    db.prepare("DELETE FROM snapshot_parts WHERE name = 'sample-ids'").run();
    db.close();
    let store = await reopen();
    assert.ok(said(/read in full \(50 samples\)/), logger.lines.join('\n'));
    assert.deepEqual([store.size, store.has(sampleId(s(49))), store.wasAccepted(sampleId(s(0)))], [50, true, true]);
    await store.close();
    // Differs: its last id is another one than the indexes noted.
    db = new Database(path.join(stateDir, STATE_DB));
    const { data } = db.prepare("SELECT data FROM snapshot_parts WHERE name = 'sample-ids' AND part = 'words'").get() as { data: Buffer };
    data[data.length - 1] ^= 0xff;
    db.prepare("UPDATE snapshot_parts SET data = ? WHERE name = 'sample-ids' AND part = 'words'").run(data);
    db.close();
    store = await reopen();
    try {
      assert.ok(said(/read in full \(50 samples\)/), logger.lines.join('\n'));
      assert.ok(said(/accepted ids read from the journal/), logger.lines.join('\n'));
      assert.deepEqual([store.size, range(0, 50).every((n) => store.has(sampleId(s(n))) && store.wasAccepted(sampleId(s(n))))], [50, true]);
    } finally {
      await store.close();
    }
  });

  it('a link at state.db is refused, naming it, and its target is not touched', async () => {
    const outside = path.join(dir, 'outside.db');
    fs.writeFileSync(outside, 'keep me');
    fs.rmSync(path.join(stateDir, STATE_DB));
    fs.symlinkSync(outside, path.join(stateDir, STATE_DB));
    await assert.rejects(reopen(), (e: unknown) => e instanceof DomainError && e.kind === 'link-refused' && e.message.includes(STATE_DB));
    assert.equal(fs.readFileSync(outside, 'utf8'), 'keep me');
  });
});
