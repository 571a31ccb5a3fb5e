// The samples landed versions trained on: kept by slot and saved in state.db, so a start reads
// only what was marked since; the journal stays the source of truth.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsedSamples } from '../../../daemon/runs/UsedSamples';
import { sampleId } from '../../../daemon/store/sampleId';
import { recordingLogger } from '../store/helpers';

describe('runs/UsedSamples', () => {
  let dir: string;
  let logger: ReturnType<typeof recordingLogger>;
  const open = () => {
    logger = recordingLogger();
    return UsedSamples.open(dir, logger);
  };
  const said = (pattern: RegExp) => assert.ok(logger.lines.some((l) => pattern.test(l)), logger.lines.join('\n'));
  const id = (n: number) => sampleId({ input: `in ${n}`, output: `out ${n}` });

  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-used-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('remembers what each landing used, from the saved index and from records appended since', async () => {
    let used = await open();
    await used.mark([id(1), id(2), 'a hand-written id'], 'v1');
    await used.mark([id(2), id(3)], 'v2');
    await used.close();
    used = await open();
    said(/4 samples used by landed versions from the saved index$/);
    assert.deepEqual([id(1), id(2), id(3), 'a hand-written id', id(4)].map((x) => used.has(x)), [true, true, true, true, false]);
    await used.close();
    fs.appendFileSync(path.join(dir, 'used.jsonl'), JSON.stringify({ id: id(4), version: 'v3', at: '2026-12-04T00:00:00.000Z' }) + '\n');
    used = await open();
    try {
      said(/5 samples used by landed versions from the saved index, and 1 record appended since/);
      assert.equal(used.has(id(4)), true);
      assert.equal(used.size, 5);
    } finally {
      await used.close();
    }
  });

  it('reads the journal in full when state.db is gone, and loses nothing', async () => {
    let used = await open();
    await used.mark([id(1), id(2)], 'v1');
    await used.close();
    fs.rmSync(path.join(dir, 'state.db'));
    used = await open();
    try {
      said(/2 samples used by landed versions read in full/);
      assert.deepEqual([used.has(id(1)), used.has(id(2))], [true, true]);
    } finally {
      await used.close();
    }
  });
});
