import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseJsonlBytes } from '../../../daemon/store/jsonlLines';
import { LineIndex } from '../../../daemon/store/LineIndex';

describe('store/LineIndex', () => {
  let dir: string;
  let file: string;
  let content: Buffer;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineindex-'));
    file = path.join(dir, 'big.jsonl');
    // 20k lines: valid ones of varied length and non-ASCII text, CRLF, blank and invalid lines.
    const parts: string[] = [];
    for (let i = 1; i <= 20_000; i++) {
      if (i % 1000 === 0) parts.push('\n');
      else if (i % 777 === 0) parts.push(`{"input":"broken ${i}"\n`);
      else parts.push(`${JSON.stringify({ input: `q${i} ${'é'.repeat(i % 50)}`, output: `a${i} ${'😀'.repeat(i % 7)}` })}${i % 3 ? '\n' : '\r\n'}`);
    }
    content = Buffer.from(parts.join(''), 'utf8');
    fs.writeFileSync(file, content);
    LineIndex.clearCache();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('readLines returns exactly what a full parse gives for that range', async () => {
    const index = await LineIndex.forFile(file);
    assert.equal(index.lineCount, 20_000);
    const all = parseJsonlBytes(content);
    for (const [from, to] of [[1, 1], [1, 100], [9_990, 10_010], [776, 778], [19_990, 20_000], [19_999, 25_000], [12_345, 12_345]]) {
      const expected = all.filter((l) => l.line >= from && l.line <= to);
      assert.deepEqual(await index.readLines(from, to), expected, `lines ${from}..${to}`);
    }
    assert.deepEqual(await index.readLines(30_000, 30_010), []);
    assert.deepEqual(await index.readLines(5, 4), []);
  });

  it('maps byte offsets to lines and back', async () => {
    const index = await LineIndex.forFile(file);
    const all = parseJsonlBytes(content);
    for (const l of all.filter((_, i) => i % 997 === 0)) {
      assert.equal(index.lineStart(l.line), l.offset);
      assert.equal(index.lineAt(l.offset), l.line);
      assert.equal(index.lineAt(l.offset + l.length), l.line, 'the terminator belongs to its line');
    }
  });

  it('is cached per path while (size, mtime, inode) hold, and rebuilt when the file changes', async () => {
    const first = await LineIndex.forFile(file);
    assert.equal(await LineIndex.forFile(file), first);
    const other = path.join(dir, 'small.jsonl');
    fs.writeFileSync(other, '{"input":"a","output":"b"}\n{"input":"c","output":"d"}');
    const small = await LineIndex.forFile(other);
    assert.equal(small.lineCount, 2);
    fs.appendFileSync(other, '\n{"input":"e","output":"f"}\n');
    const rebuilt = await LineIndex.forFile(other);
    assert.equal(rebuilt.lineCount, 3);
    // An index held across a change re-scans by itself when asked for lines.
    fs.writeFileSync(other, '{"input":"x","output":"y"}\n');
    const lines = await small.readLines(1, 3);
    assert.deepEqual(lines.map((l) => l.sample?.input), ['x']);
  });

  it('indexes 100k lines / 100 MB fast', async function () {
    this.timeout(60_000);
    const large = path.join(dir, 'large.jsonl');
    const lineText = `${JSON.stringify({ input: 'x'.repeat(500), output: 'y'.repeat(480) })}\n`;
    const block = Buffer.from(lineText.repeat(1000));
    const fd = fs.openSync(large, 'w');
    for (let i = 0; i < 100; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const started = process.hrtime.bigint();
    const index = await LineIndex.forFile(large);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(index.lineCount, 100_000);
    assert.ok(fs.statSync(large).size >= 98_000_000);
    assert.ok(ms < 5_000, `indexing took ${ms} ms`);
    const [line] = await index.readLines(54_321, 54_321);
    assert.equal(line.line, 54_321);
    assert.equal(line.offset, 54_320 * Buffer.byteLength(lineText));
    console.log(`      indexed ${index.lineCount} lines / ${(fs.statSync(large).size / 1e6).toFixed(0)} MB in ${ms.toFixed(0)} ms`);
    fs.rmSync(large);
  });
});
