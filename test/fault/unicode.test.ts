// Finding 5 of issue 10: text that is not valid Unicode (a lone surrogate escape) never reaches
// the dataset; a file names the line and the position, a submit names the field.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SamplesSubmit } from '../../daemon/protocol';
import { parseJsonlBytes } from '../../daemon/store/jsonlLines';
import { DatasetStore } from '../../daemon/store/DatasetStore';
import { DomainError } from '../../daemon/errors/DomainError';

// Written with the escape as JSON text, as a file on disk would hold it.
const LONE = '{"input":"x\\ud800y","output":"fine"}';
const LOW = '{"input":"fine","output":"ab\\udc00"}';
const PAIR = '{"input":"smile \\ud83d\\ude00","output":"fine"}';

describe('fault: text that is not valid Unicode', () => {
  it('a file line with a lone surrogate is an error naming the field and position; a full pair is fine', () => {
    const lines = parseJsonlBytes(Buffer.from(`${PAIR}\n${LONE}\n${LOW}\n`));
    assert.equal(lines[0].error, undefined);
    assert.equal(lines[1].line, 2);
    assert.match(lines[1].error ?? '', /^"input" is not valid Unicode: a lone surrogate \\uD800 at character 2 /);
    assert.equal(lines[2].line, 3);
    assert.match(lines[2].error ?? '', /^"output" is not valid Unicode: a lone surrogate \\uDC00 at character 3 /);
  });

  it('samples/submit refuses it before judging, naming the field', () => {
    const parsed = SamplesSubmit.params.safeParse({ sample: { input: 'x\ud800y', output: 'fine' } });
    assert.equal(parsed.success, false);
    const issue = parsed.error!.issues[0];
    assert.deepEqual(issue.path, ['sample', 'input']);
    assert.match(issue.message, /lone surrogate \\uD800 at character 2/);
  });

  it('the store refuses to append it and the dataset stays as it was', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-unicode-'));
    const datasetPath = path.join(dir, 'data', 'finetuning_dataset.jsonl');
    const store = await DatasetStore.open({ datasetPath, stateDir: path.join(dir, 'state') });
    try {
      await assert.rejects(store.append([{ input: 'x\ud800y', output: 'fine' }]), (err: unknown) => err instanceof DomainError && err.kind === 'store-invalid' && /lone surrogate/.test(err.message));
      assert.equal(fs.existsSync(datasetPath) ? fs.readFileSync(datasetPath, 'utf8') : '', '');
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
