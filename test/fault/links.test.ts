// Finding 1 and 2 of issue 10: links planted where the daemon keeps its own files (a cloned
// repository can carry them) must never be written, truncated or emptied through.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunsDidFinish, RunsStart, SamplesSubmit, type RunSummary } from '../../daemon/protocol';
import { DatasetStore } from '../../daemon/store/DatasetStore';
import { AppendLog } from '../../daemon/store/AppendLog';
import { Logger } from '../../daemon/log';
import { DomainError } from '../../daemon/errors/DomainError';
import { startDaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

function victimFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-victim-'));
  fs.writeFileSync(path.join(dir, 'precious.txt'), 'keep me\n');
  fs.mkdirSync(path.join(dir, 'run-looking-folder'));
  return dir;
}

async function refusedAsLink(promise: Promise<unknown>, named: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DomainError, `a DomainError, got ${String(err)}`);
    assert.equal(err.kind, 'link-refused');
    assert.match(err.message, new RegExp(named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    return true;
  });
}

describe('fault: links where the daemon keeps its own files', function () {
  let ws: TestWorkspace | undefined;
  let victim: string;
  beforeEach(() => (victim = victimFolder()));
  afterEach(() => {
    ws?.remove();
    ws = undefined;
    fs.rmSync(victim, { recursive: true, force: true });
  });

  it('a failed run does not empty the folder models/finetuned/.staging links to', async () => {
    ws = makeWorkspace('finetuning:\n  enabled: false\n  threshold: 3\n  runner: local\n');
    ws.env.FINETUNE_PYTHON = '/bin/false'; // the trainer fails at once
    fs.mkdirSync(path.join(ws.dir, 'models', 'finetuned'), { recursive: true });
    fs.symlinkSync(victim, path.join(ws.dir, 'models', 'finetuned', '.staging'));
    const daemon = await startDaemonProcess(ws);
    try {
      const c = await daemon.connect();
      for (const s of samplesOf('good', 3, 5)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
      const done = new Promise<RunSummary>((resolve) => c.on(RunsDidFinish, resolve));
      await c.request(RunsStart, { force: true });
      const run = await done;
      assert.equal(run.status, 'failed');
      assert.deepEqual(fs.readdirSync(victim).sort(), ['precious.txt', 'run-looking-folder']);
      assert.equal(fs.readFileSync(path.join(victim, 'precious.txt'), 'utf8'), 'keep me\n');
      assert.match(`${run.error?.message}`, /\.staging is a symbolic link/);
      c.close();
    } finally {
      await daemon.stop();
    }
  });

  it('a symlinked dataset is refused: its target keeps its last line and gets no samples', async () => {
    const target = path.join(victim, 'other.jsonl');
    const text = '{"input":"a","output":"b"}\n{"input":"torn-looking';
    fs.writeFileSync(target, text);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-ws-'));
    try {
      fs.mkdirSync(path.join(dir, 'data'));
      fs.symlinkSync(target, path.join(dir, 'data', 'finetuning_dataset.jsonl'));
      await refusedAsLink(DatasetStore.open({ datasetPath: path.join(dir, 'data', 'finetuning_dataset.jsonl'), stateDir: path.join(dir, 'data', '.flywheel') }), 'finetuning_dataset.jsonl');
      assert.equal(fs.readFileSync(target, 'utf8'), text);
      assert.deepEqual(fs.readdirSync(victim).sort(), ['other.jsonl', 'precious.txt', 'run-looking-folder']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a dangling data/.flywheel/accepted.jsonl link is refused and its target never created', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-ws-'));
    try {
      fs.mkdirSync(path.join(dir, 'data', '.flywheel'), { recursive: true });
      const target = path.join(victim, 'created-by-daemon.jsonl');
      fs.symlinkSync(target, path.join(dir, 'data', '.flywheel', 'accepted.jsonl'));
      await refusedAsLink(AppendLog.open(path.join(dir, 'data', '.flywheel', 'accepted.jsonl'), (v) => v), 'accepted.jsonl');
      assert.equal(fs.existsSync(target), false);
      // A linked folder is refused the same way.
      fs.rmSync(path.join(dir, 'data', '.flywheel'), { recursive: true });
      fs.symlinkSync(victim, path.join(dir, 'data', '.flywheel'));
      await refusedAsLink(AppendLog.open(path.join(dir, 'data', '.flywheel', 'runs.jsonl'), (v) => v), '.flywheel');
      assert.equal(fs.existsSync(path.join(victim, 'runs.jsonl')), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs/finetuning.log as a link is refused, its target unchanged', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-ws-'));
    try {
      fs.mkdirSync(path.join(dir, 'logs'));
      fs.symlinkSync(path.join(victim, 'precious.txt'), path.join(dir, 'logs', 'finetuning.log'));
      assert.throws(() => new Logger({ file: path.join(dir, 'logs', 'finetuning.log'), maxBytes: 1 << 20, keep: 1 }), (err: unknown) => err instanceof DomainError && err.kind === 'link-refused');
      assert.equal(fs.readFileSync(path.join(victim, 'precious.txt'), 'utf8'), 'keep me\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fault: a workspace whose data/, models/ or logs/ folder is itself a link', function () {
  let ws: TestWorkspace | undefined;
  let victim: string;
  beforeEach(() => (victim = victimFolder()));
  afterEach(() => {
    ws?.remove();
    ws = undefined;
    fs.rmSync(victim, { recursive: true, force: true });
  });

  for (const folder of ['data', 'models', 'logs', 'models/finetuned']) {
    it(`${folder}/ as a link: the daemon refuses to start, naming it, and writes nothing through it`, async () => {
      ws = makeWorkspace('finetuning:\n  enabled: false\n');
      fs.mkdirSync(path.dirname(path.join(ws.dir, folder)), { recursive: true });
      fs.symlinkSync(victim, path.join(ws.dir, folder));
      await assert.rejects(startDaemonProcess(ws), (err: Error) => {
        assert.match(err.message, new RegExp(`${path.join(ws!.dir, folder).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a symbolic link where the daemon keeps its own file or folder`));
        assert.match(err.message, /replace the link with a real file or folder/);
        return true;
      });
      assert.deepEqual(fs.readdirSync(victim).sort(), ['precious.txt', 'run-looking-folder'], 'nothing created in the folder the link names');
      assert.equal(fs.readFileSync(path.join(victim, 'precious.txt'), 'utf8'), 'keep me\n');
    });
  }
});
