import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { ConfigDidReload, ConfigGet, DatasetsAnnotations, SamplesSubmit, StatusDidChange, StatusGet, type ConfigState } from '../../daemon/protocol';
import { startDaemonProcess } from '../helpers/daemonProcess';
import { jsonl, samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

describe('daemon restarts and outside edits', () => {
  let ws: TestWorkspace;
  beforeEach(() => (ws = makeWorkspace('finetuning:\n  threshold: 20\n')));
  afterEach(() => ws.remove());

  it('keeps every acknowledged sample across a kill -9, and starts again over the stale socket and lock', async () => {
    let daemon = await startDaemonProcess(ws);
    const c = await daemon.connect();
    const good = samplesOf('good', 3);
    for (const s of good) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    c.close();
    await daemon.kill9();
    daemon = await startDaemonProcess(ws);
    const c2 = await daemon.connect();
    const s = await c2.request(StatusGet, {});
    assert.equal(s.collected, 3);
    assert.equal(s.remaining, 17);
    c2.close();
    await daemon.stop();
  });

  it('re-indexes a dataset edited by another program and judges the new lines', async () => {
    const daemon = await startDaemonProcess(ws);
    const c = await daemon.connect();
    const good = samplesOf('good', 3);
    await c.request(SamplesSubmit, { sample: { input: good[0].input, output: good[0].output } });
    const changed = new Promise<void>((resolve) => c.on(StatusDidChange, (st) => st.collected === 3 && resolve()));
    // An editor appends two lines by hand.
    fs.appendFileSync(`${ws.dir}/data/finetuning_dataset.jsonl`, jsonl(good.slice(1)));
    await changed;
    const ann = await c.request(DatasetsAnnotations, { path: 'data/finetuning_dataset.jsonl' });
    assert.equal(ann.lines.length, 3);
    assert.ok(ann.lines.every((l) => l.assessment?.verdict === 'accepted'));
    c.close();
    await daemon.stop();
  });

  it('refuses to start on an invalid config, naming file, line, column and key', async () => {
    ws.write('config/models.yml', 'finetuning:\n  enabled: true\n  threshold: many\n');
    await assert.rejects(startDaemonProcess(ws), /config\/models\.yml:3:14 finetuning\.threshold: expected a positive integer, got "many"/);
  });

  it('keeps the last good config on an invalid edit and reports it; applies a valid edit', async () => {
    const daemon = await startDaemonProcess(ws);
    const c = await daemon.connect();
    // Clients read the effective config from the daemon (config/get), defaults filled in.
    const first = await c.request(ConfigGet, {});
    assert.equal(first.error, null);
    assert.deepEqual(first.config.finetuning, { ...first.config.finetuning, threshold: 20, baseModel: 'mistral-7b', enabled: true });
    const reloads: ConfigState[] = [];
    c.on(ConfigDidReload, (r) => reloads.push(r));
    const failed = new Promise<string>((resolve) => c.on(StatusDidChange, (st) => st.configError && resolve(st.configError)));
    ws.write('config/models.yml', 'finetuning:\n  treshold: 3\nmetrics:\n  port: 0\n');
    assert.match(await failed, /config\/models\.yml:2:3 finetuning\.treshold: unknown key; did you mean "threshold"\?/);
    assert.equal((await c.request(StatusGet, {})).threshold, 20);
    const kept = await c.request(ConfigGet, {});
    assert.equal(kept.config.finetuning.threshold, 20);
    assert.match(kept.error!, /finetuning\.treshold/);
    const applied = new Promise<void>((resolve) => c.on(StatusDidChange, (st) => st.threshold === 3 && !st.configError && resolve()));
    ws.write('config/models.yml', 'finetuning:\n  threshold: 3\nmetrics:\n  port: 0\n');
    await applied;
    assert.equal((await c.request(ConfigGet, {})).config.finetuning.threshold, 3);
    // Each reload was announced: the refused edit with its error, then the applied one.
    assert.deepEqual(reloads.map((r) => [r.config.finetuning.threshold, r.error !== null]), [[20, true], [3, false]]);
    c.close();
    await daemon.stop();
  });
});
