import { strict as assert } from 'node:assert';
import { normalizeText, sampleId } from '../../../daemon/store/sampleId';

describe('store/sampleId', () => {
  const base = { input: 'Summarize: the cat sat.', output: 'A cat sat.' };

  it('is 32 hex characters and depends only on content', () => {
    assert.match(sampleId(base), /^[0-9a-f]{32}$/);
    assert.equal(sampleId({ ...base }), sampleId(base));
    // Extra fields do not change the id.
    assert.equal(sampleId({ ...base, task: 'qa' } as typeof base), sampleId(base));
  });

  it('ignores formatting: CRLF/CR, NFC vs NFD, surrounding and repeated whitespace', () => {
    const id = sampleId({ input: 'line one\nline two  café', output: 'x' });
    assert.equal(sampleId({ input: 'line one\r\nline two café', output: 'x' }), id);
    assert.equal(sampleId({ input: 'line one\rline two\tcafé', output: 'x' }), id);
    assert.equal(sampleId({ input: '  line one \n  line two   cafe\u0301\n', output: ' x ' }), id);
  });

  it('keeps line and paragraph structure, and any edit makes a new id', () => {
    const id = sampleId({ input: 'a\nb', output: 'x' });
    assert.notEqual(sampleId({ input: 'a b', output: 'x' }), id);
    assert.notEqual(sampleId({ input: 'a\n\nb', output: 'x' }), id);
    assert.equal(sampleId({ input: 'a\n\n\n\nb', output: 'x' }), sampleId({ input: 'a\n\nb', output: 'x' }));
    assert.notEqual(sampleId({ input: 'a\nc', output: 'x' }), id);
    assert.notEqual(sampleId({ input: 'a\nb', output: 'y' }), id);
  });

  it('cannot be forged by moving text across the input/output boundary', () => {
    assert.notEqual(sampleId({ input: 'ab', output: 'c' }), sampleId({ input: 'a', output: 'bc' }));
    assert.notEqual(sampleId({ input: 'a\u0000', output: 'b' }), sampleId({ input: 'a', output: '\u0000b' }));
    assert.notEqual(sampleId({ input: 'a', output: 'b' }), sampleId({ input: 'b', output: 'a' }));
  });

  it('normalizeText spells out the rules', () => {
    assert.equal(normalizeText(' a \t b \r\n\r\n\r\n c\u00a0d '), 'a b\n\nc d');
    assert.equal(normalizeText('e\u0301'), '\u00e9');
  });
});

describe('normalizeText on random whitespace soup', () => {
  it('is idempotent, and leaves no doubled space, no space beside a newline and no run of three newlines', () => {
    const alphabet = [' ', '\t', '\n', '\r', '\u00a0', '\u2028', 'a', 'b', '\ufeff', '\r\n', 'é', 'e\u0301', '\v', '\f'];
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      for (let j = Math.floor(next() * 14); j > 0; j--) s += alphabet[Math.floor(next() * alphabet.length)];
      const n = normalizeText(s);
      assert.equal(normalizeText(n), n, JSON.stringify(s));
      assert.ok(!/ {2}| \n|\n |\n{3}|^\s|\s$/.test(n), `${JSON.stringify(s)} → ${JSON.stringify(n)}`);
    }
  });
});
