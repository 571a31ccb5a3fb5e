// A trainer whose output does not match the event schema (another version, a bug): the daemon
// logs each such line with what is wrong and carries on; the run ends as the trainer said.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { LogsTail, RunsDidFinish, RunsStart, SamplesSubmit, type RunSummary } from '../../daemon/protocol';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

describe('malformed trainer events', () => {
  let ws: TestWorkspace;
  let daemon: DaemonProcess;
  before(async () => {
    ws = makeWorkspace('finetuning:\n  enabled: false\n  runner: local\n');
    ws.env.FINETUNE_PYTHON = path.resolve(__dirname, '../fixtures/fakeTrainer.sh');
    daemon = await startDaemonProcess(ws);
  });
  after(async () => {
    await daemon.stop();
    ws.remove();
  });

  it('are logged with the line and never crash the run', async () => {
    const c = await daemon.connect();
    for (const s of samplesOf('good', 2)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    const finished = new Promise<RunSummary>((resolve) => c.on(RunsDidFinish, resolve));
    await c.request(RunsStart, { force: true });
    const run = await finished;
    assert.equal(run.status, 'failed');
    assert.deepEqual(run.error, { message: 'the fake trainer trains nothing', hint: 'this is a test' });
    const warnings = (await c.request(LogsTail, { after: -1, limit: 200 })).entries.filter((e) => e.event === 'trainer.event');
    // Each with what is wrong and the line itself.
    const shown = warnings.map((w) => w.message.replace(/^run \S+: ignored a trainer event that does not match the schema /, ''));
    assert.equal(shown.length, 3, shown.join('\n'));
    assert.match(shown[0], /^\(step: .*number.*\): \{"event": "progress", "time": 1, "step": "one"\}$/);
    assert.match(shown[1], /^\(event: .*\): \{"event": "surprise", "time": 1\}$/);
    assert.match(shown[2], /^\(not JSON .*\): \{not json$/);
    // The daemon still serves.
    assert.equal((await c.request(RunsStart, { force: true })).status, 'queued');
    c.close();
  });
});
