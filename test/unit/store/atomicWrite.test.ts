import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendDurable, AtomicFile, writeFileAtomic } from '../../../daemon/store/atomicWrite';

describe('store/atomicWrite', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writeFileAtomic replaces the file whole and leaves no temp file behind', async () => {
    const target = path.join(dir, 'state.json');
    await writeFileAtomic(target, 'old');
    const inode = fs.statSync(target).ino;
    await writeFileAtomic(target, Buffer.from('new content'), { mode: 0o600 });
    assert.equal(fs.readFileSync(target, 'utf8'), 'new content');
    assert.notEqual(fs.statSync(target).ino, inode, 'a new file was renamed over the old one');
    assert.equal(fs.statSync(target).mode & 0o777, 0o600);
    assert.deepEqual(fs.readdirSync(dir), ['state.json']);
  });

  it('a failed write leaves the old file untouched and cleans up', async () => {
    const target = path.join(dir, 'state.json');
    await writeFileAtomic(target, 'old');
    // A folder where the target should be: the rename fails after the temp file was written.
    const blocked = path.join(dir, 'blocked');
    fs.mkdirSync(path.join(blocked, 'x'), { recursive: true });
    await assert.rejects(writeFileAtomic(blocked, 'data'));
    assert.equal(fs.readFileSync(target, 'utf8'), 'old');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['blocked', 'state.json']);
  });

  it('AtomicFile.commit with keepExisting never replaces an existing file', async () => {
    const target = path.join(dir, 'content-addressed');
    const first = await AtomicFile.create(dir, 'x');
    await first.write('same');
    assert.equal(await first.commit(target, { keepExisting: true, mode: 0o444 }), 'written');
    const second = await AtomicFile.create(dir, 'x');
    await second.write('same');
    assert.equal(await second.commit(target, { keepExisting: true }), 'exists');
    assert.deepEqual(fs.readdirSync(dir), ['content-addressed']);
    assert.equal(fs.statSync(target).mode & 0o777, 0o444);
  });

  it('appendDurable appends to a path (creating it) or to an open handle', async () => {
    const target = path.join(dir, 'log.jsonl');
    await appendDurable(target, 'a\n');
    await appendDurable(target, Buffer.from('b\n'));
    const handle = await fs.promises.open(target, 'a');
    await appendDurable(handle, 'c\n');
    await handle.close();
    assert.equal(fs.readFileSync(target, 'utf8'), 'a\nb\nc\n');
  });
});
