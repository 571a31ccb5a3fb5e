import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeIO, type AppendIO } from '../../../daemon/store/AppendLog';
import { DatasetStore, type DatasetStoreOptions } from '../../../daemon/store/DatasetStore';
import { StoreError } from '../../../daemon/store/errors';
import { sampleId } from '../../../daemon/store/sampleId';
import { recordingLogger } from './helpers';

const s = (n: number | string, extra: Record<string, unknown> = {}) => ({ input: `question ${n}`, output: `answer ${n}`, ...extra });
const line = (n: number | string) => JSON.stringify(s(n));

/** Resolves on the next call of the returned callback, or rejects after `ms`. */
function signal(ms = 5000): { callback: () => void; next: () => Promise<void>; calls: number } {
  const state = { calls: 0, callback: () => {}, next: () => Promise.resolve() };
  let wake: (() => void) | undefined;
  state.callback = () => {
    state.calls++;
    wake?.();
  };
  state.next = () =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no change reported within ${ms} ms`)), ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });
  return state;
}

describe('store/DatasetStore', () => {
  let dir: string;
  let datasetPath: string;
  let stateDir: string;
  const stores: DatasetStore[] = [];
  const open = async (extra: Partial<DatasetStoreOptions> = {}) => {
    const store = await DatasetStore.open({ datasetPath, stateDir, settleMs: 30, watchDebounceMs: 30, ...extra });
    stores.push(store);
    return store;
  };
  const read = () => fs.readFileSync(datasetPath, 'utf8');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataset-'));
    datasetPath = path.join(dir, 'data', 'finetuning_dataset.jsonl');
    stateDir = path.join(dir, '.finetune');
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates the dataset on first append, indexes it, and finds it all again on reopen', async () => {
    const store = await open();
    assert.equal(store.size, 0);
    const result = await store.append([s(1), s(2)]);
    assert.deepEqual(result, { appended: [sampleId(s(1)), sampleId(s(2))], duplicates: [] });
    assert.equal(read(), `${line(1)}\n${line(2)}\n`);
    assert.ok(store.has(sampleId(s(1))));
    await store.close();
    const again = await open();
    assert.equal(again.size, 2);
    assert.deepEqual(again.ids(), result.appended);
    assert.ok(again.wasAccepted(sampleId(s(2))));
    assert.deepEqual(again.acceptedMissing(), []);
  });

  it('keeps extra fields, input and output first', async () => {
    const store = await open();
    await store.append([{ ...s(1), task: 'qa', meta: { from: 'app' } } as never]);
    assert.equal(read(), '{"input":"question 1","output":"answer 1","task":"qa","meta":{"from":"app"}}\n');
  });

  it('stores an exact duplicate once: within a batch, across batches, and despite formatting differences', async () => {
    const store = await open();
    const first = await store.append([s(1), s(1), { input: 'question 1\r\n', output: ' answer  1' }, s(2)]);
    assert.deepEqual(first.appended, [sampleId(s(1)), sampleId(s(2))]);
    assert.deepEqual(first.duplicates, [sampleId(s(1)), sampleId(s(1))]);
    const second = await store.append([s(2), s(3)]);
    assert.deepEqual(second, { appended: [sampleId(s(3))], duplicates: [sampleId(s(2))] });
    // Concurrent calls with the same sample: one is stored.
    const [a, b] = await Promise.all([store.append([s(4)]), store.append([s(4)])]);
    assert.deepEqual([a.appended.length, b.appended.length].sort(), [0, 1]);
    assert.equal(read().split('\n').filter(Boolean).length, 4);
  });

  it('does not re-add a sample the user removed from the dataset, but reports it', async () => {
    const store = await open();
    await store.append([s(1), s(2)]);
    fs.writeFileSync(datasetPath, `${line(2)}\n`); // the user deletes sample 1 in the editor
    const again = await store.append([s(1)]);
    assert.deepEqual(again, { appended: [], duplicates: [sampleId(s(1))] });
    assert.equal(read(), `${line(2)}\n`);
    assert.deepEqual(store.acceptedMissing(), [sampleId(s(1))]);
  });

  it('reports invalid lines by number, keeps them byte for byte, and never rewrites them', async () => {
    const user = `${line(1)}\n{"input":"no output"}\n\nnot json\r\n${line(1)}\n{"input":"x","output":"y"}`;
    fs.mkdirSync(path.dirname(datasetPath), { recursive: true });
    fs.writeFileSync(datasetPath, user);
    const store = await open();
    assert.deepEqual(store.invalidLines(), [
      { line: 2, error: 'missing "output"' },
      { line: 4, error: 'not valid JSON at column 1: "not" is not a JSON value (JSON has only true, false and null)' },
    ]);
    assert.equal(store.size, 3);
    assert.equal(store.duplicateLines, 1);
    await store.append([s(2)]);
    assert.equal(read(), `${user}\n${line(2)}\n`, 'the valid last line without newline got its newline; nothing else changed');
    const entries = await store.entries(0, 10);
    assert.deepEqual(entries.map((e) => e.line), [1, 5, 6, 7]);
  });

  it('a torn last line (no newline, not JSON) is set aside in stateDir and everything before it kept', async () => {
    fs.mkdirSync(path.dirname(datasetPath), { recursive: true });
    const good = `${line(1)}\n${line(2)}\n`;
    fs.writeFileSync(datasetPath, `${good}{"input":"question 3","outp`);
    const logger = recordingLogger();
    const store = await open({ logger });
    assert.equal(read(), good);
    assert.equal(store.size, 2);
    assert.deepEqual(store.invalidLines(), []);
    assert.equal(store.setAside.length, 1);
    assert.equal(path.dirname(store.setAside[0]), stateDir);
    assert.equal(fs.readFileSync(store.setAside[0], 'utf8'), '{"input":"question 3","outp');
    assert.match(logger.lines.join('\n'), /warn: .*line 3 had no newline and was not valid \(not valid JSON at column 28: .*\).*moved its 27 bytes to /);
    await store.append([s(3)]);
    assert.equal(read(), `${good}${line(3)}\n`);
  });

  it('an append torn at any byte: reopening keeps every line before it and sets the fragment aside', async () => {
    const good = `${line(1)}\n${line(2)}\n`;
    const last = `${JSON.stringify({ input: 'question é 😀', output: 'answer' })}\n`;
    const lastBytes = Buffer.from(last, 'utf8');
    fs.mkdirSync(path.dirname(datasetPath), { recursive: true });
    for (let cut = 0; cut <= lastBytes.length; cut++) {
      fs.rmSync(stateDir, { recursive: true, force: true });
      fs.writeFileSync(datasetPath, Buffer.concat([Buffer.from(good), lastBytes.subarray(0, cut)]));
      const store = await DatasetStore.open({ datasetPath, stateDir });
      const complete = cut >= lastBytes.length - 1; // the record is whole, with or without its newline
      assert.equal(store.size, complete ? 3 : 2, `cut at ${cut}`);
      assert.deepEqual(store.invalidLines(), [], `cut at ${cut}`);
      assert.equal(store.setAside.length, cut > 0 && !complete ? 1 : 0, `cut at ${cut}`);
      if (store.setAside.length) assert.deepEqual(fs.readFileSync(store.setAside[0]), lastBytes.subarray(0, cut));
      assert.equal(read(), complete ? good + last.slice(0, cut === lastBytes.length ? undefined : -1) : good);
      await store.close();
    }
  });

  it('a failed journal write after the dataset write also stops the store (it could not record what it accepted)', async () => {
    let syncs = 0;
    const failing: AppendIO = {
      write: nodeIO.write,
      async sync(handle) {
        if (++syncs === 2) throw Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC' });
        await nodeIO.sync(handle);
      },
    };
    const store = await open({ io: failing });
    await assert.rejects(store.append([s(1)]), /accepted\.jsonl failed \(ENOSPC/);
    assert.equal(store.state, 'failed');
    assert.equal(read(), `${line(1)}\n`, 'the dataset write had completed; it was not acknowledged');
    // The fault was once: the next append probes, re-reads both files and goes through.
    assert.deepEqual((await store.append([s(2)])).appended, [sampleId(s(2))]);
    assert.equal(store.state, 'open');
    assert.equal(read(), `${line(1)}\n${line(2)}\n`);
  });

  it('a last line without newline that is JSON but not a sample is the user\'s: kept and reported', async () => {
    fs.mkdirSync(path.dirname(datasetPath), { recursive: true });
    fs.writeFileSync(datasetPath, `${line(1)}\n{"input":"draft"}`);
    const store = await open();
    assert.deepEqual(store.setAside, []);
    assert.deepEqual(store.invalidLines(), [{ line: 2, error: 'missing "output"' }]);
    await store.append([s(2)]);
    assert.equal(read(), `${line(1)}\n{"input":"draft"}\n${line(2)}\n`);
  });

  for (const how of ['in place (truncate and write, as VS Code saves)', 'by rename (a new inode)'] as const) {
    it(`an editor rewrite ${how} between appends is noticed: re-indexed first, no user line lost`, async () => {
      const logger = recordingLogger();
      const store = await open({ logger });
      await store.append([s(1), s(2)]);
      const edited = `${line(2)}\n{"input":"typed by the user","output":"kept"}\n${line('edited 1')}`;
      if (how.startsWith('in place')) {
        fs.writeFileSync(datasetPath, edited);
      } else {
        fs.writeFileSync(`${datasetPath}.tmp`, edited);
        fs.renameSync(`${datasetPath}.tmp`, datasetPath);
      }
      const result = await store.append([s(3)]);
      assert.deepEqual(result.appended, [sampleId(s(3))]);
      assert.equal(read(), `${edited}\n${line(3)}\n`);
      assert.equal(store.size, 4);
      assert.ok(!store.has(sampleId(s(1))) && store.has(sampleId(s('edited 1'))));
      assert.match(logger.lines.join('\n'), /changed by another program; re-indexing/);
      const entries = await store.entries(0, 10);
      assert.deepEqual(entries.map((e) => [e.line, e.sample.input]), [[1, 'question 2'], [2, 'typed by the user'], [3, 'question edited 1'], [4, 'question 3']]);
    });
  }

  it('a rewrite to the same size is noticed too (mtime), and so is the dataset being deleted', async () => {
    const store = await open();
    await store.append([s(1)]);
    const before = fs.statSync(datasetPath);
    fs.writeFileSync(datasetPath, line(9) + '\n'); // same length as line(1)
    fs.utimesSync(datasetPath, before.atime, new Date(before.mtimeMs + 5000));
    assert.equal(fs.statSync(datasetPath).size, before.size);
    await store.reindex();
    assert.ok(store.has(sampleId(s(9))) && !store.has(sampleId(s(1))));
    fs.rmSync(datasetPath);
    await store.append([s(2)]);
    assert.equal(read(), `${line(2)}\n`);
  });

  it('another writer appending during our append is detected; both lines survive', async () => {
    // Named fake: once, another program appends a line just before the store's own write.
    let interfered = false;
    const interleaving: AppendIO = {
      async write(handle, bytes) {
        if (!interfered) fs.appendFileSync(datasetPath, `${line('other')}\n`);
        interfered = true;
        await nodeIO.write(handle, bytes);
      },
      sync: nodeIO.sync,
    };
    const logger = recordingLogger();
    const store = await open({ io: interleaving, logger });
    await store.append([s(1)]);
    assert.match(logger.lines.join('\n'), /written by another program during an append/);
    assert.ok(store.has(sampleId(s(1))) && store.has(sampleId(s('other'))));
    assert.equal(read(), `${line('other')}\n${line(1)}\n`);
  });

  it('pages through valid samples by byte offset, with line numbers, across invalid lines, CRLF and a BOM', async () => {
    fs.mkdirSync(path.dirname(datasetPath), { recursive: true });
    const parts = ['\ufeff'];
    for (let i = 0; i < 250; i++) parts.push(i % 10 === 3 ? `broken ${i}\r\n` : `${line(i)}${i % 2 ? '\r\n' : '\n'}`);
    fs.writeFileSync(datasetPath, parts.join(''));
    const store = await open();
    assert.equal(store.size, 225);
    assert.equal(store.invalidCount, 25);
    const pages = [...(await store.entries(0, 100)), ...(await store.entries(100, 100)), ...(await store.entries(200, 100))];
    const expected = Array.from({ length: 250 }, (_, i) => i).filter((i) => i % 10 !== 3);
    assert.deepEqual(pages.map((e) => e.sample.input), expected.map((i) => `question ${i}`));
    assert.deepEqual(pages.map((e) => e.line), expected.map((i) => i + 1));
    assert.deepEqual(pages.map((e) => e.id), store.ids());
    assert.deepEqual(await store.entries(225, 10), []);
    assert.deepEqual((await store.entries(224, 10)).map((e) => e.line), [250]);
  });

  it('a malformed sample is refused before anything is written', async () => {
    const store = await open({ maxLineBytes: 200 });
    await assert.rejects(store.append([s(1), { input: '', output: 'x' }]), (e: unknown) => e instanceof StoreError && e.kind === 'store-invalid' && /sample 1 was not stored: "input" is empty/.test(e.message));
    await assert.rejects(store.append([{ input: 'x'.repeat(300), output: 'y' }]), /sample 0 was not stored: it is 325 bytes as a line; the limit is 200 \(dataset.max_line_bytes\)/);
    await assert.rejects(store.append([{ input: 'x', output: 5 } as never]), /"output" must be a string, got number/);
    assert.equal(fs.existsSync(datasetPath), false);
    assert.equal(store.state, 'open');
  });

  it('group commit: concurrent appends share fsyncs', async () => {
    const store = await open();
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.append([s(i)])));
    assert.ok(store.syncs <= 3, `40 concurrent appends took ${store.syncs} commits`);
    assert.equal(store.size, 40);
  });

  it('a failed fsync fails the store: not retried, later appends refused with what to do', async () => {
    // The same IO serves the dataset and the journal: sync 1 and 2 are the first append's, 3 fails.
    let syncs = 0;
    const failing: AppendIO = {
      write: nodeIO.write,
      async sync(handle) {
        if (++syncs >= 3) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        await nodeIO.sync(handle);
      },
    };
    const store = await open({ io: failing });
    await store.append([s(1)]);
    await assert.rejects(store.append([s(2)]), /Appending to .* failed \(EIO: i\/o error, fsync\)/);
    const size = fs.statSync(datasetPath).size;
    await assert.rejects(store.append([s(3)]), (e: unknown) => e instanceof StoreError && e.kind === 'store-failed' && /tries again by itself/.test(e.hint));
    assert.equal(store.state, 'failed');
    assert.equal(fs.statSync(datasetPath).size, size, 'no retry: the dataset is not written while the disk fails (only a probe file is)');
  });

  it('close lets appends in flight finish and refuses new ones', async () => {
    const store = await open();
    const inFlight = store.append([s(1)]);
    await store.close();
    assert.deepEqual((await inFlight).appended, [sampleId(s(1))]);
    await assert.rejects(store.append([s(2)]), /is closed; nothing was appended/);
    assert.equal(read(), `${line(1)}\n`);
  });

  it('a corrupt journal makes the store read-only until repaired', async () => {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(path.join(stateDir, 'accepted.jsonl'), 'garbage\n{"id":"x","at":"t","sample":{"input":"a","output":"b"}}\n');
    const store = await open();
    assert.equal(store.state, 'read-only');
    await assert.rejects(store.append([s(1)]), /accepted\.jsonl line 1 is corrupt/);
  });

  it('watch: an outside edit is reported once re-indexed; the store\'s own appends are not', async () => {
    const store = await open();
    await store.append([s(1)]);
    const changed = signal();
    const watcher = store.watch(changed.callback);
    const next = changed.next();
    fs.appendFileSync(datasetPath, `${line('from editor')}\n`);
    await next;
    assert.ok(store.has(sampleId(s('from editor'))), 're-indexed before the callback');
    const callsBefore = changed.calls;
    await store.append([s(2), s(3)]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // several debounce periods
    assert.equal(changed.calls, callsBefore, 'own appends are not outside changes');
    watcher.dispose();
  });
  it('lines another program only appended are read on their own and reported by id; any other edit re-reads the file', async () => {
    const store = await open();
    await store.append([s(1), s(2)]);
    const changes: { appended?: string[] }[] = [];
    const watcher = store.watch((change) => changes.push(change));
    fs.appendFileSync(datasetPath, `${line('appended')}\nnot json\n`);
    await store.reindex();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(changes.pop(), { appended: [sampleId(s('appended'))] });
    assert.deepEqual(store.ids(), [sampleId(s(1)), sampleId(s(2)), sampleId(s('appended'))]);
    assert.deepEqual(store.invalidLines().map((l) => l.line), [4]);
    assert.deepEqual((await store.entries(2, 1)).map((e) => [e.line, e.sample.output]), [[3, 'answer appended']]);
    // In place (same inode), longer, but line 1 changed: everything after it moved, so all is read again.
    fs.writeFileSync(datasetPath, `${line('edited first')}\n${line(2)}\n${line('appended')}\nnot json\n${line('more')}\n`);
    await store.reindex();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(changes.pop(), { appended: undefined });
    assert.equal(store.has(sampleId(s(1))), false);
    assert.deepEqual(store.ids(), [sampleId(s('edited first')), sampleId(s(2)), sampleId(s('appended')), sampleId(s('more'))]);
    // The store's own append after an outside one still lands after it, and a later outside append is read on its own.
    await store.append([s(3)]);
    fs.appendFileSync(datasetPath, `${line('after ours')}\n`);
    await store.reindex();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(changes.pop(), { appended: [sampleId(s('after ours'))] });
    assert.equal((await store.entries(5, 1))[0].sample.output, 'answer after ours');
    watcher.dispose();
  });
});
