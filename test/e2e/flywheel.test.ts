// The main job end to end, as a user runs it: a fresh workspace, samples in one at a time, the
// threshold crossed exactly at the configured count, one real training run (local runner, real
// transformers on the tiny built-in model), v1 current, the model loads with Transformers, and
// the metrics show one succeeded run.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelsDidLand, ModelsList, RunsDidFinish, RunsList, SamplesSubmit, StatusGet, type RunSummary } from '../../daemon/protocol';
import { startDaemonProcess, runCli, type DaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { prometheusAvailable, startPrometheus, waitForSeries } from '../helpers/prometheus';

const PYTHON = path.resolve(__dirname, '../../.venv/bin/python');
const THRESHOLD = 24;

const CONFIG = `
finetuning:
  threshold: ${THRESHOLD}
  base_model: tiny-random-mistral
  runner: local
  batch_size: 8
  gradient_accumulation_steps: 1
  learning_rate: 3e-3
  num_epochs: 2
  max_length: 256
  eval_split: 0.2
`;

describe('the flywheel end to end (local runner, real training)', function () {
  let ws: TestWorkspace;
  let daemon: DaemonProcess;

  before(async function () {
    if (!fs.existsSync(PYTHON)) assert.fail('the trainer environment is missing: run "bash scripts/python-env.sh" (test/run.sh does)');
    ws = makeWorkspace(CONFIG);
    daemon = await startDaemonProcess(ws);
  });
  after(async () => {
    await daemon?.stop();
    ws?.remove();
  });

  it('triggers at exactly the threshold, trains, lands v1 as current, and counts afresh', async () => {
    const c = await daemon.connect();
    const finished = new Promise<RunSummary>((resolve) => c.on(RunsDidFinish, resolve));
    const landed = new Promise<{ version: string; current: boolean; path: string }>((resolve) => c.on(ModelsDidLand, resolve));
    const good = samplesOf('good', THRESHOLD + 2, 31);
    const flawed = samplesOf('flawed', 6, 31);
    // Flawed samples interleaved: they are judged and rejected, and never count.
    for (let i = 0; i < THRESHOLD; i++) {
      if (i % 4 === 0) await c.request(SamplesSubmit, { sample: { input: flawed[i / 4].input, output: flawed[i / 4].output } });
      assert.equal((await c.request(RunsList, { limit: 5 })).length, 0, `no run before sample ${i + 1} of ${THRESHOLD}`);
      const r = await c.request(SamplesSubmit, { sample: { input: good[i].input, output: good[i].output } });
      assert.equal(r.stored, true);
    }
    const runs = await c.request(RunsList, { limit: 5 });
    assert.equal(runs.length, 1, 'one run, queued when the threshold was reached');
    assert.equal(runs[0].trigger, 'threshold');
    assert.equal(runs[0].snapshot.count, THRESHOLD);

    const run = await finished;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.equal(run.version, 'v1');
    const v1 = await landed;
    assert.equal(v1.current, true);

    const models = await c.request(ModelsList, {});
    assert.equal(models.length, 1);
    assert.equal(models[0].current, true);
    const dir = models[0].path;
    for (const f of ['metadata.json', 'README.md', 'metrics.json', 'config.json']) assert.ok(fs.existsSync(path.join(dir, f)), `${f} in ${dir}`);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'metadata.json'), 'utf8'));
    assert.equal(meta.runId, run.id);
    assert.equal(meta.dataset.count, THRESHOLD);
    assert.ok(meta.metrics.after.eval_loss < meta.metrics.before.eval_loss, 'held-out loss went down');

    // The samples v1 used no longer count: the threshold starts afresh.
    const status = await c.request(StatusGet, {});
    assert.equal(status.collected, 0);
    assert.equal(status.remaining, THRESHOLD);
    assert.equal(status.currentModel?.version, 'v1');

    // The landed model loads with Transformers and generates.
    const load = spawnSync(
      PYTHON,
      ['-c', 'import sys\nfrom transformers import AutoModelForCausalLM, AutoTokenizer\nm = AutoModelForCausalLM.from_pretrained(sys.argv[1]); t = AutoTokenizer.from_pretrained(sys.argv[1])\nids = t("Summarize: the council met.", return_tensors="pt").input_ids\nprint(m.generate(ids, max_new_tokens=5).shape[1] > ids.shape[1])', dir],
      { encoding: 'utf8', env: { ...process.env, HF_HUB_OFFLINE: '1' } },
    );
    assert.equal(load.status, 0, load.stderr);
    assert.match(load.stdout, /True/);

    // Metrics: one succeeded run and its duration.
    const body = await (await fetch(c.hello.metrics)).text();
    assert.match(body, /^finetuning_runs_total\{status="succeeded"\} 1$/m);
    assert.match(body, /^finetuning_duration_seconds_count 1$/m);
    // A real Prometheus scraping the daemon sees the run.
    if (!prometheusAvailable()) assert.fail("prometheus is missing: test/run.sh installs Debian's prometheus package");
    const prom = await startPrometheus(new URL(c.hello.metrics).host);
    try {
      const runs = (await waitForSeries(prom.query, 'finetuning_runs_total{status="succeeded"}')) as { value: [number, string] }[];
      assert.equal(runs[0].value[1], '1');
      const durations = (await waitForSeries(prom.query, 'finetuning_duration_seconds_count')) as { value: [number, string] }[];
      assert.equal(durations[0].value[1], '1');
    } finally {
      await prom.stop();
    }

    c.close();

    // The CLI sees the same version.
    const list = JSON.parse(runCli(ws, ['models', '--json']).stdout);
    assert.deepEqual(list.map((m: { version: string; current: boolean }) => [m.version, m.current]), [['v1', true]]);
  });
});
