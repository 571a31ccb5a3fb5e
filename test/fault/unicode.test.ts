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
import type { IngestResult } from '../../daemon/protocol';
import { runCli, startDaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

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

describe('fault: a file gives the same per-line errors wherever it is', function () {
  let ws: TestWorkspace;
  let outside: string;
  afterEach(() => {
    ws?.remove();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('finetune ingest of a file with invalid UTF-8 and a lone surrogate: same errors inside and outside the workspace, nothing lossy stored', async () => {
    ws = makeWorkspace();
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-outside-'));
    const good = samplesOf('good', 1, 3)[0];
    const bytes = Buffer.concat([
      Buffer.from(`${JSON.stringify({ input: good.input, output: good.output })}\n{"input":"bad byte `),
      Buffer.from([0xff]),
      Buffer.from(`","output":"x"}\n${LONE}\n`),
    ]);
    fs.writeFileSync(path.join(outside, 'mixed.jsonl'), bytes);
    fs.writeFileSync(path.join(ws.dir, 'mixed.jsonl'), bytes);
    const daemon = await startDaemonProcess(ws);
    try {
      const out = runCli(ws, ['ingest', path.join(outside, 'mixed.jsonl'), '--json']);
      const inside = runCli(ws, ['ingest', 'mixed.jsonl', '--json']);
      const a = JSON.parse(out.stdout) as IngestResult;
      const b = JSON.parse(inside.stdout) as IngestResult;
      assert.deepEqual(a.invalid, b.invalid);
      assert.deepEqual(a.invalid.map((l) => l.line), [2, 3]);
      assert.match(a.invalid[0].error, /invalid UTF-8 at byte \d+/);
      assert.match(a.invalid[1].error, /lone surrogate/);
      assert.ok(!ws.read('data/finetuning_dataset.jsonl').includes('\ufffd'), 'no replacement character stored');
    } finally {
      await daemon.stop();
    }
  });
});
