import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { explainJsonError } from '../../../daemon/store/jsonErrors';
import { parseJsonlBytes, parseJsonlText, readJsonLines, readJsonlFile, type JsonlLine, type ReadOptions } from '../../../daemon/store/jsonlLines';
import { sampleId } from '../../../daemon/store/sampleId';
import { corpusCases, manySmallLines, type CorpusCase } from '../../fixtures/jsonl/corpus';

async function collect(file: string, options: ReadOptions = {}): Promise<JsonlLine[]> {
  const out: JsonlLine[] = [];
  for await (const line of readJsonlFile(file, options)) out.push(line);
  return out;
}

function checkExpectations(c: CorpusCase, lines: JsonlLine[]): void {
  assert.equal(lines.length, c.expect.length, `${c.name}: ${JSON.stringify(lines.map((l) => l.error ?? l.id))}`);
  c.expect.forEach((want, i) => {
    const got = lines[i];
    assert.equal(got.line, want.line, `${c.name}: line number`);
    if (want.terminated !== undefined) assert.equal(got.terminated, want.terminated, `${c.name} line ${want.line}: terminated`);
    if (want.error !== undefined) {
      assert.equal(got.sample, undefined, `${c.name} line ${want.line} should be invalid`);
      if (typeof want.error === 'string') assert.equal(got.error, want.error, `${c.name} line ${want.line}`);
      else assert.match(got.error ?? '', want.error, `${c.name} line ${want.line}`);
    } else {
      assert.equal(got.error, undefined, `${c.name} line ${want.line}: ${got.error}`);
      for (const [key, value] of Object.entries(want.sample ?? {})) assert.deepEqual(got.sample?.[key], value, `${c.name} line ${want.line}: ${key}`);
      assert.equal(got.id, sampleId(got.sample!));
    }
  });
}

/** Every line's offset/length must point at exactly its bytes, terminator excluded. */
function checkPositions(c: CorpusCase, lines: JsonlLine[]): void {
  for (const l of lines) {
    const body = c.bytes.subarray(l.offset, l.offset + l.length);
    assert.equal(body.indexOf(0x0a), -1, `${c.name} line ${l.line}: no LF inside`);
    const next = c.bytes.subarray(l.offset + l.length, l.offset + l.length + 2);
    if (l.terminated) assert.ok(next[0] === 0x0a || (next[0] === 0x0d && next[1] === 0x0a), `${c.name} line ${l.line}: followed by LF or CRLF`);
    else assert.equal(l.offset + l.length, c.bytes.length, `${c.name} line ${l.line}: unterminated line runs to EOF`);
  }
}

describe('store/jsonlLines', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsonl-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('the malformed corpus (shared/design/reliability.md)', () => {
    for (const c of corpusCases()) {
      it(`${c.name}: the expected outcome for every line, whatever the chunk size`, async () => {
        const file = path.join(dir, `${c.name}.jsonl`);
        fs.writeFileSync(file, c.bytes);
        const inMemory = parseJsonlBytes(c.bytes);
        checkExpectations(c, inMemory);
        checkPositions(c, inMemory);
        // Chunk boundaries fall inside UTF-8 sequences, CRLFs and BOMs: the outcome must not change.
        const chunkSizes = c.bytes.length < 20_000 ? [1, 2, 3, 5, 7, 13, 4096, 65536] : [4093, 65536];
        for (const chunkBytes of chunkSizes) assert.deepEqual(await collect(file, { chunkBytes }), inMemory, `${c.name} with ${chunkBytes}-byte chunks`);
      });
    }

    it('parseJsonlText gives the same result as the file reader for text content', () => {
      for (const c of corpusCases()) {
        const text = c.bytes.toString('utf8');
        if (!Buffer.from(text, 'utf8').equals(c.bytes)) continue; // not valid UTF-8: cannot be editor text
        assert.deepEqual(parseJsonlText(text), parseJsonlBytes(c.bytes), c.name);
      }
    });
  });

  it('the last record cut at every byte: what came before is intact, the cut line is an error', async () => {
    const first = '{"input":"a","output":"b"}';
    const second = JSON.stringify({ input: 'é 😀 ünïcode', output: 'out "quoted" \\ \u2028 end', n: 1.5e-7 });
    const whole = Buffer.from(`${first}\n${second}\n`, 'utf8');
    const secondStart = first.length + 1;
    const secondEnd = secondStart + Buffer.byteLength(second);
    for (let cut = 0; cut <= whole.length; cut++) {
      const prefix = whole.subarray(0, cut);
      const lines = parseJsonlBytes(prefix);
      const c: CorpusCase = { name: `cut at ${cut}`, bytes: prefix, expect: [] };
      checkPositions(c, lines);
      if (cut < first.length) {
        assert.ok(lines.length === 0 || lines[0].error, `cut ${cut}: a cut first line is an error`);
        continue;
      }
      assert.deepEqual(lines[0].sample, { input: 'a', output: 'b' }, `cut ${cut}`);
      if (cut <= secondStart) assert.equal(lines.length, 1, `cut ${cut}`);
      else if (cut < secondEnd) {
        assert.equal(lines.length, 2, `cut ${cut}`);
        assert.ok(lines[1].error, `cut ${cut}: a cut record is an error`);
        assert.equal(lines[1].terminated, false);
      } else {
        assert.equal(lines[1].error, undefined, `cut ${cut}: the complete record is valid even before its newline`);
        assert.equal(lines[1].terminated, cut > secondEnd);
      }
      if (cut % 7 === 0) {
        const file = path.join(dir, 'cut.jsonl');
        fs.writeFileSync(file, prefix);
        assert.deepEqual(await collect(file, { chunkBytes: 3 }), lines, `cut ${cut} read from a file`);
      }
    }
  });

  it('a million small lines stream through', async function () {
    this.timeout(60_000);
    const file = path.join(dir, 'million.jsonl');
    fs.writeFileSync(file, manySmallLines(1_000_000));
    let count = 0;
    let last = 0;
    for await (const line of readJsonlFile(file)) {
      assert.equal(line.error, undefined);
      count++;
      last = line.line;
    }
    assert.equal(count, 1_000_000);
    assert.equal(last, 1_000_000);
    fs.rmSync(file);
  });

  it('a byte range starting mid-file numbers lines from firstLine and reads only that range', async () => {
    const file = path.join(dir, 'range.jsonl');
    const content = Buffer.from('{"input":"1","output":"x"}\n{"input":"2","output":"x"}\n{"input":"3","output":"x"}\n');
    fs.writeFileSync(file, content);
    const all = await collect(file);
    const middle = await collect(file, { start: all[1].offset, end: all[2].offset, firstLine: 2 });
    assert.deepEqual(middle, [all[1]]);
  });

  it('the line limit and its setting name are configurable', () => {
    const lines = parseJsonlText('{"input":"aaaaaaaa","output":"b"}\n', { maxLineBytes: 10, limitName: 'journal limit' });
    assert.equal(lines[0].error, 'line is 33 bytes; the limit is 10 (journal limit)');
    // A line of exactly the limit is read, with or without a CR before its LF.
    const line = '{"input":"a","output":"b"}';
    assert.equal(parseJsonlText(`${line}\r\n`, { maxLineBytes: line.length })[0].error, undefined);
    assert.equal(parseJsonlText(`${line}\n`, { maxLineBytes: line.length })[0].error, undefined);
  });

  it('the error locator agrees with JSON.parse on 20,000 mutated lines (a position for every rejection, none for valid JSON)', () => {
    const seed = Number(process.env.FUZZ_SEED ?? 20_240_601);
    let state = seed;
    const random = () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state / 0x7fffffff;
    };
    const bases = ['{"input":"a b","output":"c","n":[1,2.5,-3e4,{"x":null}],"t":true,"f":false}', '[1,{"a":"\\u00e9\\n"}]', '{"a":{"b":[[],{}]}}'];
    const alphabet = [...'{}[],:"\\1-.eE+0 \t\rantuNI\'x', '\u2028', '😀'];
    for (let k = 0; k < 20_000; k++) {
      let text = bases[Math.floor(random() * bases.length)];
      for (let edits = 1 + Math.floor(random() * 3); edits > 0; edits--) {
        const at = Math.floor(random() * (text.length + 1));
        const op = random();
        const char = alphabet[Math.floor(random() * alphabet.length)];
        text = op < 0.33 ? text.slice(0, at) + text.slice(at + 1) : op < 0.66 ? text.slice(0, at) + char + text.slice(at) : text.slice(0, at) + char + text.slice(at + 1);
      }
      let parseError: unknown;
      try {
        JSON.parse(text);
      } catch (error) {
        parseError = error;
      }
      const located = explainJsonError(text, parseError ?? 'valid').startsWith('not valid JSON at column');
      assert.equal(located, parseError !== undefined, `seed ${seed}, case ${k}: ${JSON.stringify(text)}`);
    }
  });

  it('readJsonLines gives any JSON value, for logs that are not samples', async () => {
    const file = path.join(dir, 'values.jsonl');
    fs.writeFileSync(file, '[1,2]\n{"a":1}\nnope\n');
    const values = [];
    for await (const line of readJsonLines(file)) values.push(line.value ?? line.error);
    assert.deepEqual(values, [[1, 2], { a: 1 }, 'not valid JSON at column 1: "nope" is not a JSON value (JSON has only true, false and null)']);
  });
});
