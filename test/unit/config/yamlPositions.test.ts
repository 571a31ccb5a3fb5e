import { strict as assert } from 'node:assert';
import { parseYamlDocument } from '../../../daemon/config/yamlPositions';

/** "line:col" of `path` in `text`. */
function at(text: string, path: PropertyKey[], target: 'key' | 'value' = 'value'): string | undefined {
  const position = parseYamlDocument(text).locate(path, target);
  return position && `${position.line}:${position.column}`;
}

describe('config: YAML positions', () => {
  const block = [
    '# header comment',
    'finetuning:',
    '  threshold: 100   # trailing comment',
    '  lora:',
    '    r: 16',
    '    alpha:',
    '      32',
    '  docker: {image: "x:1", memory: 16g}',
    '  empty:',
    '  "quoted key": yes',
    "  'single': 1",
    'judge:',
    '  criteria:',
    '    qa:',
    '      - correctness',
    '      - fluency',
    '    summarization: [coherence, relevance]',
  ].join('\n');

  it('locates values and keys in block mappings', () => {
    assert.equal(at(block, ['finetuning']), '3:3');
    assert.equal(at(block, ['finetuning'], 'key'), '2:1');
    assert.equal(at(block, ['finetuning', 'threshold']), '3:14');
    assert.equal(at(block, ['finetuning', 'threshold'], 'key'), '3:3');
    assert.equal(at(block, ['finetuning', 'lora', 'r']), '5:8');
    assert.equal(at(block, ['finetuning', 'lora', 'r'], 'key'), '5:5');
  });

  it('skips comments and line breaks between a key and its value', () => {
    assert.equal(at(block, ['finetuning', 'lora', 'alpha']), '7:7');
    assert.equal(at('a:   # comment\n\n  # another\n  value\n', ['a']), '4:3');
  });

  it('locates keys and values inside flow mappings', () => {
    assert.equal(at(block, ['finetuning', 'docker']), '8:11');
    assert.equal(at(block, ['finetuning', 'docker', 'image']), '8:19');
    assert.equal(at(block, ['finetuning', 'docker', 'memory'], 'key'), '8:26');
    assert.equal(at(block, ['finetuning', 'docker', 'memory']), '8:34');
    assert.equal(at('x: {a: {b: {c: 1}}}\n', ['x', 'a', 'b', 'c']), '1:16');
    assert.equal(at('x: {a: 1, b, c: 3}\n', ['x', 'c']), '1:17');
    assert.equal(at('x: {a: 1, b, c: 3}\n', ['x', 'b'], 'key'), '1:11');
    assert.equal(at('x:\n  {\n    a: 1,\n    b: 2\n  }\n', ['x', 'b']), '4:8');
    assert.equal(at('{"a": {"b": 2}}\n', ['a', 'b']), '1:13');
  });

  it('gives the key for an empty value', () => {
    assert.equal(at(block, ['finetuning', 'empty']), '9:3');
  });

  it('handles quoted keys', () => {
    assert.equal(at(block, ['finetuning', 'quoted key']), '10:17');
    assert.equal(at(block, ['finetuning', 'quoted key'], 'key'), '10:3');
    assert.equal(at(block, ['finetuning', 'single']), '11:13');
  });

  it('locates sequence items, block and flow', () => {
    assert.equal(at(block, ['judge', 'criteria', 'qa', 0]), '15:9');
    assert.equal(at(block, ['judge', 'criteria', 'qa', 1]), '16:9');
    assert.equal(at(block, ['judge', 'criteria', 'summarization', 1]), '17:32');
    assert.equal(at('- a\n- {b: 1}\n', [1, 'b']), '2:7');
    assert.equal(at('s: [x, y: 1, z]\n', ['s', 2]), '1:14');
  });

  it('falls back to the deepest existing ancestor for a path that is not written', () => {
    assert.equal(at(block, ['finetuning', 'lora', 'dropout']), '4:3');
    assert.equal(at(block, ['nope', 'deeper']), '2:1');
    assert.equal(at(block, ['judge', 'criteria', 'qa', 7]), '14:5');
  });

  it('handles CRLF, tabs inside values and multi-line scalars', () => {
    assert.equal(at('a:\r\n  b: 1\r\n  c: 2\r\n', ['a', 'c']), '3:6');
    assert.equal(at('a: "multi\n  line"\nb: 2\n', ['b']), '3:4');
    assert.equal(at('a: |\n  text\n  more\nb: 2\n', ['b']), '4:4');
    assert.equal(at('a: >-\n  folded\nb:\n  c: 1\n', ['b', 'c']), '4:6');
  });

  it('handles anchors, tags and document markers', () => {
    assert.equal(at('---\na: &x 1\nb: !!str 2\n', ['b']), '3:4');
    assert.equal(at('---\na: &x 1\nb: !!str 2\n', ['a']), '2:4');
    assert.equal(at('%YAML 1.2\n---\nk: v\n', ['k']), '3:4');
  });

  it('returns the data js-yaml returns', () => {
    const doc = parseYamlDocument('a: {b: [1, 2]}\n');
    assert.deepEqual(doc.data, { a: { b: [1, 2] } });
    assert.equal(parseYamlDocument('').data, undefined);
    assert.equal(parseYamlDocument('').locate(['a'], 'value'), undefined);
  });

  it('the root of a scalar or list document is its first character', () => {
    assert.equal(at('# c\n\n- 1\n', []), '3:1');
    assert.equal(at('  hello\n', []), '1:3');
  });
});
