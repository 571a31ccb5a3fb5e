import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppendLog, nodeIO, type AppendIO } from '../../../daemon/store/AppendLog';
import { StoreError } from '../../../daemon/store/errors';
import { recordingLogger } from './helpers';

interface Rec {
  n: number;
  text: string;
}

const check = (value: unknown): Rec => {
  const r = value as Rec;
  if (typeof r?.n !== 'number' || typeof r.text !== 'string') throw new Error('expected {n, text}');
  return r;
};

/** Fails its sync (EIO, as a dying disk reports it) from the given call on, and counts calls. */
class FailingSyncIO implements AppendIO {
  writes = 0;
  syncs = 0;
  private healed = false;
  constructor(private readonly failFromSync: number) {}
  /** From now on every fsync succeeds. */
  heal(): void {
    this.healed = true;
  }
  async write(handle: fs.promises.FileHandle, bytes: Uint8Array): Promise<void> {
    this.writes++;
    await nodeIO.write(handle, bytes);
  }
  async sync(handle: fs.promises.FileHandle): Promise<void> {
    this.syncs++;
    if (!this.healed && this.syncs >= this.failFromSync) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
    await nodeIO.sync(handle);
  }
}

const line = (n: number) => JSON.stringify({ n, text: `record ${n}` });

/** The `n` of every record the journal holds now (opened and closed again: no handle left open). */
async function storedNs(file: string): Promise<number[]> {
  const log = await AppendLog.open(file, check);
  await log.close();
  return log.records.map((r) => r.n);
}

describe('store/AppendLog', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appendlog-'));
    file = path.join(dir, 'journal.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the file, appends durably and loads the records again', async () => {
    const log = await AppendLog.open(file, check);
    assert.deepEqual(log.records, []);
    await log.append([{ n: 1, text: 'one' }]);
    await log.append([{ n: 2, text: 'two' }, { n: 3, text: 'three\nwith newline' }]);
    await log.close();
    const again = await AppendLog.open(file, check);
    assert.deepEqual(again.records.map((r) => r.n), [1, 2, 3]);
    assert.equal(again.records[2].text, 'three\nwith newline');
    await again.close();
  });

  it('onRecord streams records instead of keeping them', async () => {
    fs.writeFileSync(file, `${line(1)}\n${line(2)}\n`);
    const seen: number[] = [];
    const log = await AppendLog.open(file, check, { onRecord: (r, lineNo) => seen.push(r.n * 10 + lineNo) });
    assert.deepEqual(seen, [11, 22]);
    assert.deepEqual(log.records, []);
    await log.close();
  });

  const tails: [string, Buffer][] = [
    ['cut mid-record', Buffer.from('{"n":3,"te')],
    ['zero-filled', Buffer.alloc(4096)],
    ['garbage with a newline', Buffer.from('x\u0001garbage\n')],
    ['cut inside a UTF-8 sequence', Buffer.concat([Buffer.from('{"n":3,"text":"'), Buffer.from([0xc3])])],
  ];
  for (const [name, tailBytes] of tails) {
    it(`a torn last line (${name}) is set aside, logged and counted; everything before it is kept`, async () => {
      const good = `${line(1)}\n${line(2)}\n`;
      fs.writeFileSync(file, Buffer.concat([Buffer.from(good), tailBytes]));
      const logger = recordingLogger();
      const log = await AppendLog.open(file, check, { logger });
      assert.equal(log.state, 'open');
      assert.deepEqual(log.records.map((r) => r.n), [1, 2]);
      assert.equal(fs.readFileSync(file, 'utf8'), good, 'truncated to the last good newline');
      assert.equal(log.setAside.length, 1);
      assert.match(path.basename(log.setAside[0]), /^journal\.jsonl\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
      assert.deepEqual(fs.readFileSync(log.setAside[0]), tailBytes, 'the fragment is kept byte for byte');
      assert.equal(logger.lines.length, 1);
      assert.match(logger.lines[0], /^warn: .*journal\.jsonl: the last line \(3\) was torn by a crash .*moved its [\d,]+ bytes to .*corrupt/);
      await log.append([{ n: 3, text: 'again' }]);
      await log.close();
      assert.deepEqual(await storedNs(file), [1, 2, 3]);
    });
  }

  it('a valid last line without newline is kept, and the next append starts a new line', async () => {
    fs.writeFileSync(file, `${line(1)}\n${line(2)}`);
    const log = await AppendLog.open(file, check);
    assert.deepEqual(log.records.map((r) => r.n), [1, 2]);
    assert.deepEqual(log.setAside, []);
    await log.append([{ n: 3, text: 'record 3' }]);
    await log.close();
    assert.equal(fs.readFileSync(file, 'utf8'), `${line(1)}\n${line(2)}\n${line(3)}\n`);
  });

  it('corruption in the middle makes the log read-only, untouched, with a message that says what to do', async () => {
    const content = `${line(1)}\n{"n":2,"te\n${line(3)}\n`;
    fs.writeFileSync(file, content);
    const logger = recordingLogger();
    const log = await AppendLog.open(file, check, { logger });
    assert.equal(log.state, 'read-only');
    assert.deepEqual(log.records.map((r) => r.n), [1, 3], 'the readable records are still loaded');
    await assert.rejects(log.append([{ n: 4, text: 'x' }]), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.kind, 'store-read-only');
      assert.match(error.message, /journal\.jsonl line 2 is corrupt \(not valid JSON at column 11: .*\), and it is not the last line/);
      assert.match(error.hint, /fix or delete line 2 \(or move the file aside\), then restart the daemon/);
      return true;
    });
    assert.equal(fs.readFileSync(file, 'utf8'), content);
    assert.equal(logger.lines.filter((l) => l.startsWith('error:')).length, 1);
    await log.close();
  });

  it('a well-formed line of the wrong shape, even the last one, is corruption, not a torn tail', async () => {
    fs.writeFileSync(file, `${line(1)}\n{"n":"two"}\n`);
    const log = await AppendLog.open(file, check);
    assert.equal(log.state, 'read-only');
    assert.match(log.error!.message, /line 2 is corrupt \(does not match the record schema: expected \{n, text\}\)/);
    await log.close();
  });

  it('group commit: concurrent appends share fsyncs and all land, each call in one piece', async () => {
    const log = await AppendLog.open(file, check);
    const calls = Array.from({ length: 50 }, (_, i) => log.append([{ n: i * 2, text: 'a' }, { n: i * 2 + 1, text: 'b' }]));
    await Promise.all(calls);
    assert.ok(log.syncs <= 3, `50 concurrent appends took ${log.syncs} fsyncs`);
    // Later appends, one at a time, each get their own commit.
    await log.append([{ n: 100, text: 'c' }]);
    await log.close();
    const ns = await storedNs(file);
    assert.deepEqual(ns, Array.from({ length: 101 }, (_, i) => i));
  });

  it('a failed fsync is not retried: while the disk fails, appends are refused (only probes are tried) and the user is told it heals', async () => {
    const io = new FailingSyncIO(2);
    const logger = recordingLogger();
    const log = await AppendLog.open(file, check, { io, logger });
    await log.append([{ n: 1, text: 'durable' }]);
    const failing = log.append([{ n: 2, text: 'lost?' }]);
    const queued = log.append([{ n: 3, text: 'queued behind it' }]);
    await assert.rejects(failing, (error: unknown) => error instanceof StoreError && /Writing .*journal\.jsonl failed \(EIO: i\/o error, fsync\)\./.test(error.message) && /tries again by itself/.test(error.hint));
    await assert.rejects(queued, StoreError);
    const size = fs.statSync(file).size;
    await assert.rejects(log.append([{ n: 4, text: 'later' }]), (error: unknown) => error instanceof StoreError && error.kind === 'store-failed' && /tries again by itself/.test(error.hint));
    assert.equal(log.state, 'failed');
    assert.equal(fs.statSync(file).size, size, 'the log itself is not written again while the disk fails');
    assert.ok(io.syncs <= 4, `only the failed fsync and probes: ${io.syncs}`);
    assert.match(logger.lines.join('\n'), /^error: Writing .* failed/m);
    await log.close();
  });

  it('after the disk heals, appends go on after whatever the failed write left, and say where each record landed', async () => {
    const io = new FailingSyncIO(2);
    const log = await AppendLog.open(file, check, { io });
    await log.append([{ n: 1, text: 'durable' }]);
    await assert.rejects(log.append([{ n: 2, text: 'its fsync failed, its line is whole' }]), StoreError);
    io.heal();
    await new Promise((resolve) => setTimeout(resolve, 250)); // the next probe is due
    const where = await log.append([{ n: 3, text: 'after healing' }, { n: 4, text: 'and one more' }]);
    assert.equal(log.state, 'open');
    const bytes = fs.readFileSync(file);
    assert.deepEqual(
      where.map((w) => JSON.parse(bytes.subarray(w.offset, w.offset + w.length).toString('utf8')).n),
      [3, 4],
    );
    await log.close();
    assert.deepEqual(await storedNs(file), [1, 2, 3, 4]);
  });

  it('a write on a dead file handle (closed under it: EBADF) fails the log the same way', async () => {
    const closingIO: AppendIO = {
      async write(handle, bytes) {
        await handle.close(); // the real write path then fails, nothing faked about the error
        await nodeIO.write(handle, bytes);
      },
      sync: nodeIO.sync,
    };
    const log = await AppendLog.open(file, check, { io: closingIO });
    await assert.rejects(log.append([{ n: 1, text: 'x' }]), /failed \(file closed\)/);
    await assert.rejects(log.append([{ n: 2, text: 'x' }]), /failed \(file closed\)/);
    assert.equal(log.state, 'failed');
  });

  it('refuses a record over the line limit without failing the log', async () => {
    const log = await AppendLog.open(file, check, { maxLineBytes: 100 });
    await assert.rejects(log.append([{ n: 1, text: 'x'.repeat(200) }]), /record 0 is 217 bytes; the limit is 100/);
    assert.equal(log.state, 'open');
    await log.append([{ n: 2, text: 'fits' }]);
    await log.close();
  });
});
