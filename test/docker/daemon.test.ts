// The daemon with the docker runner, as a user on a Docker host runs it: samples over the
// threshold, one run trained in a real container, progress reaching an RPC client, v1 landed
// with its model card and metrics, current, and loadable with Transformers.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelsList, RunsDidFinish, RunsDidProgress, SamplesSubmit, type RunSummary } from '../../daemon/protocol';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { BASE_IMAGE, IMAGE, ROOT, containersOf, dockerTier, type Tier } from './harness';

describe('daemon + docker runner (real engine, real container)', () => {
  let t: Tier;
  let ws: TestWorkspace;
  let daemon: DaemonProcess;

  before(async () => {
    t = await dockerTier();
    ws = makeWorkspace(`
finetuning:
  threshold: 12
  base_model: tiny-random-mistral
  runner: docker
  gpus: auto
  method: full
  batch_size: 8
  gradient_accumulation_steps: 1
  learning_rate: 2e-3
  num_epochs: 3
  max_length: 256
  eval_split: 0.2
  docker:
    image: "${IMAGE}"
    base_image: "${BASE_IMAGE}"
    memory: "4g"
    shm_size: "256m"
`);
    // The container runs as another user than root: it must be able to enter the workspace.
    fs.chmodSync(ws.dir, 0o755);
    ws.env.DOCKER_HOST = t.dockerHost;
    daemon = await startDaemonProcess(ws);
  });
  after(async () => {
    await daemon?.stop();
    ws?.remove();
  });

  it('trains in a container when the threshold is crossed and lands v1 as current', async () => {
    const c = await daemon.connect();
    const progress: number[] = [];
    c.on(RunsDidProgress, (p) => progress.push(p.progress.step));
    const finished = new Promise<RunSummary>((resolve) => c.on(RunsDidFinish, resolve));
    for (const s of samplesOf('good', 12, 61)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    const run = await finished;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    assert.equal(run.version, 'v1');
    assert.ok(progress.length > 0, 'progress reached the client');
    const [v1] = await c.request(ModelsList, {});
    assert.equal(v1.current, true);
    const meta = JSON.parse(fs.readFileSync(path.join(v1.path, 'metadata.json'), 'utf8'));
    assert.equal(meta.runner, 'docker');
    assert.ok(fs.readFileSync(path.join(v1.path, 'README.md'), 'utf8').includes('tiny'), 'the model card says it is a tiny test model');
    assert.equal(typeof meta.metrics.after.eval_loss, 'number');
    assert.deepEqual(await containersOf(t, ws.dir), [], 'no container left behind');
    const load = spawnSync(path.join(ROOT, '.venv/bin/python'), ['-c', 'import sys\nfrom transformers import AutoModelForCausalLM\nAutoModelForCausalLM.from_pretrained(sys.argv[1])\nprint("loaded")', v1.path], {
      encoding: 'utf8',
      env: { ...process.env, HF_HUB_OFFLINE: '1' },
    });
    assert.equal(load.status, 0, load.stderr);
    c.close();
  });
});
