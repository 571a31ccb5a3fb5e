import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createSnapshot } from '../../../daemon/store/snapshots';

describe('store/snapshots', () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshots-'));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  const samples = [
    { input: 'q1', output: 'a1', extra: 'left out' },
    { input: 'q2 é 😀', output: 'a2\nline two' },
  ];

  it('writes a read-only file named by the sha256 of its content', async () => {
    const snap = await createSnapshot(stateDir, samples);
    const bytes = fs.readFileSync(snap.path);
    assert.equal(bytes.toString('utf8'), '{"input":"q1","output":"a1"}\n{"input":"q2 é 😀","output":"a2\\nline two"}\n');
    assert.equal(snap.hash, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(path.basename(snap.path), `${snap.hash.slice(0, 32)}.jsonl`);
    assert.equal(path.dirname(snap.path), path.join(stateDir, 'snapshots'));
    assert.equal(snap.count, 2);
    assert.equal(fs.statSync(snap.path).mode & 0o777, 0o444);
    assert.deepEqual(fs.readdirSync(path.join(stateDir, 'snapshots')), [path.basename(snap.path)], 'no temp file left');
  });

  it('the same samples give the same snapshot, reused and not rewritten; different samples a new one', async () => {
    const first = await createSnapshot(stateDir, samples);
    const inode = fs.statSync(first.path).ino;
    const again = await createSnapshot(stateDir, (async function* () {
      yield* samples.map(({ input, output }) => ({ input, output })); // extra fields do not matter
    })());
    assert.deepEqual(again, first);
    assert.equal(fs.statSync(first.path).ino, inode);
    const other = await createSnapshot(stateDir, [samples[1], samples[0]]);
    assert.notEqual(other.hash, first.hash);
    assert.equal(fs.readdirSync(path.join(stateDir, 'snapshots')).length, 2);
  });

  it('is immutable: later appends to the dataset change nothing, and the file refuses writes', async () => {
    const dataset = [...samples];
    const snap = await createSnapshot(stateDir, dataset);
    const before = fs.readFileSync(snap.path);
    dataset.push({ input: 'q3', output: 'a3', extra: '' });
    assert.deepEqual(fs.readFileSync(snap.path), before);
    if (process.getuid?.() !== 0) assert.throws(() => fs.appendFileSync(snap.path, 'x'), /EACCES/); // root ignores modes
  });

  it('refuses an invalid sample and leaves nothing behind', async () => {
    await assert.rejects(createSnapshot(stateDir, [samples[0], { input: 'q', output: '' }]), /sample 1 cannot go into a snapshot: "output" is empty/);
    assert.deepEqual(fs.readdirSync(path.join(stateDir, 'snapshots')), []);
  });

  it('streams many samples', async () => {
    function* many() {
      for (let i = 0; i < 50_000; i++) yield { input: `question ${i}`, output: `answer ${i} ${'z'.repeat(i % 100)}` };
    }
    const snap = await createSnapshot(stateDir, many());
    assert.equal(snap.count, 50_000);
    assert.equal(fs.readFileSync(snap.path, 'utf8').split('\n').length, 50_001);
  });
});
