import { strict as assert } from 'node:assert';
import { modelVersionOf, relativeInside, runIdOf, sampleTargetOf } from '../../../extension/commands/args';
import { aRun, aVersion } from './fixtures';

describe('extension command arguments', () => {
  it('a run id from a Runs item, a RunSummary, { id } or a string', () => {
    assert.equal(runIdOf({ kind: 'run', run: aRun() }), aRun().id);
    assert.equal(runIdOf(aRun()), aRun().id);
    assert.equal(runIdOf({ id: 'r9' }), 'r9');
    assert.equal(runIdOf('r8'), 'r8');
    assert.equal(runIdOf(undefined), undefined);
  });

  it('a model version from a Model versions item or a models/didLand payload', () => {
    assert.equal(modelVersionOf({ kind: 'version', version: aVersion() })?.version, 'v2');
    assert.equal(modelVersionOf({ ...aVersion({ version: 'v3' }), promoted: false, reason: 'x' })?.version, 'v3');
    assert.equal(modelVersionOf({ version: 'v1' }), undefined);
  });

  it('a sample from a code lens argument (0-based line) or a Datasets item (1-based row line)', () => {
    assert.deepEqual(sampleTargetOf({ id: 'abc', uri: 'file:///ws/data/a.jsonl', line: 4 }), { id: 'abc', uri: 'file:///ws/data/a.jsonl', line: 4 });
    const row = { line: 5, id: 'abc', input: 'i', output: 'o', assessment: null, annotation: null };
    assert.deepEqual(sampleTargetOf({ kind: 'sample', dataset: 'data/a.jsonl', row }), { id: 'abc', path: 'data/a.jsonl', line: 4, output: 'o' });
    assert.equal(sampleTargetOf(undefined), undefined);
    assert.equal(sampleTargetOf({ id: 'abc' }), undefined);
  });

  it('a path relative to the workspace, or undefined outside it', () => {
    assert.equal(relativeInside('/ws', '/ws/data/a.jsonl'), 'data/a.jsonl');
    assert.equal(relativeInside('/ws/', '/ws/data/a.jsonl'), 'data/a.jsonl');
    assert.equal(relativeInside('/ws', '/wsx/a.jsonl'), undefined);
    assert.equal(relativeInside('/ws', '/ws'), undefined);
  });
});
