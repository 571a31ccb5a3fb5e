import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Logger } from '../../daemon/log';

describe('structured log (logs/finetuning.log)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-log-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one JSON object per event and rotates by size, keeping the configured number of files', () => {
    const file = path.join(dir, 'logs', 'finetuning.log');
    const log = new Logger({ file, maxBytes: 600, keep: 2 });
    for (let i = 0; i < 40; i++) log.info('sample.assessed', `sample ${i} judged`, { i });
    log.close();
    const files = fs.readdirSync(path.dirname(file)).sort();
    assert.deepEqual(files, ['finetuning.log', 'finetuning.log.1', 'finetuning.log.2']);
    for (const f of files) {
      const text = fs.readFileSync(path.join(path.dirname(file), f), 'utf8');
      assert.ok(Buffer.byteLength(text) <= 600, `${f} stays under the limit`);
      for (const line of text.trim().split('\n')) assert.equal(JSON.parse(line).event, 'sample.assessed');
    }
    // The newest entry is in the live file.
    assert.match(fs.readFileSync(file, 'utf8'), /sample 39 judged/);
  });

  it('lets a client tail from a cursor without missing or repeating entries', () => {
    const log = new Logger({ file: path.join(dir, 'f.log'), maxBytes: 1 << 20, keep: 1 });
    for (let i = 0; i < 5; i++) log.info('e', `m${i}`);
    const first = log.tail(-1, 3);
    assert.deepEqual(first.entries.map((e) => e.message), ['m2', 'm3', 'm4']);
    log.info('e', 'm5');
    const next = log.tail(first.cursor, 100);
    assert.deepEqual(next.entries.map((e) => e.message), ['m5']);
    log.close();
  });
});
