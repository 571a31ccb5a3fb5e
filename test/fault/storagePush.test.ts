// Issue 10: a storage fault reaches clients without polling. When the dataset store starts
// refusing appends (ENOSPC on the dataset) and when it heals, the daemon pushes status/didChange
// (what the status bar listens to) with the fault and its hint, then without it. The daemon runs
// in-process so the fault wrapper (FaultyFs) can fail its writes; the client is a real one on the
// daemon's socket.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { DaemonClient } from '../../daemon/client/DaemonClient';
import { startDaemon, type RunningDaemon } from '../../daemon/Daemon';
import { SamplesSubmit, StatusDidChange, type Status } from '../../daemon/protocol';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { DaemonClient as Client } from '../../daemon/client/DaemonClient';
import { FaultyFs } from './faultyFs';

/** The next status/didChange (from now on, in `seen`) that matches, or a failure after `ms`. */
function nextStatus(seen: Status[], matches: (s: Status) => boolean, ms = 5000): Promise<Status> {
  const from = seen.length;
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    const look = () => {
      const hit = seen.slice(from).find(matches);
      if (hit) return resolve(hit);
      if (Date.now() > deadline) return reject(new Error(`no status/didChange with the expected storage state within ${ms} ms (got ${seen.length - from})`));
      setTimeout(look, 10);
    };
    look();
  });
}

describe('fault: the storage fault is pushed to clients', function () {
  let ws: TestWorkspace;
  let daemon: RunningDaemon | undefined;
  let client: DaemonClient | undefined;
  let faulty: FaultyFs | undefined;
  const saved = process.env.FINETUNE_RUNTIME_DIR;

  afterEach(async () => {
    faulty?.uninstall();
    client?.close();
    await daemon?.stop();
    daemon = undefined;
    if (saved === undefined) delete process.env.FINETUNE_RUNTIME_DIR;
    else process.env.FINETUNE_RUNTIME_DIR = saved;
    ws?.remove();
  });

  it('status/didChange carries the fault when appends start failing, and clears it when they heal', async function () {
    this.timeout(60_000);
    ws = makeWorkspace('finetuning:\n  enabled: false\n');
    process.env.FINETUNE_RUNTIME_DIR = ws.runtimeDir;
    daemon = await startDaemon(ws.dir);
    client = await Client.connect(ws.dir, 'status-bar', daemon.info.socket);
    const pushed: Status[] = [];
    client.on(StatusDidChange, (s) => pushed.push(s));
    const [first, second, third] = samplesOf('good', 3, 11).map((s) => ({ input: s.input, output: s.output }));
    assert.equal((await client.request(SamplesSubmit, { sample: first })).stored, true);

    // The disk is full for the dataset (and the probes the store writes beside it to see if it healed).
    const dataset = path.join(ws.dir, 'data', 'finetuning_dataset.jsonl');
    faulty = await FaultyFs.install({ root: path.dirname(dataset), only: (f) => f === dataset || path.basename(f).startsWith('.probe-'), at: 1, mode: 'forever', code: 'ENOSPC' });
    const faultPushed = nextStatus(pushed, (s) => s.storage !== null);
    await assert.rejects(client.request(SamplesSubmit, { sample: second }), /ENOSPC/);
    const during = await faultPushed;
    assert.match(during.storage!.message, /finetuning_dataset\.jsonl failed \(ENOSPC/);
    assert.match(during.storage!.hint ?? '', /tries again by itself/);

    // Room again: the next append heals the store, and clients hear it.
    faulty.healed = true;
    await new Promise((r) => setTimeout(r, 250)); // the store probes at most every 200 ms
    const healPushed = nextStatus(pushed, (s) => s.storage === null);
    assert.equal((await client.request(SamplesSubmit, { sample: third })).stored, true);
    await healPushed;
  });
});
