// What the Ray runner says before it talks to any cluster. Its real behaviour (submit, progress,
// cancel, failures, re-attach) is tested against a real cluster in test/ray.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../../../daemon/config/load';
import { isUnavailable } from '../../../../daemon/runs/runners/registry';
import { rayRunnerFactory } from '../../../../daemon/runs/runners/ray/factory';
import { RayRunner } from '../../../../daemon/runs/runners/ray/RayRunner';
import { RunnerError, type RunSpec } from '../../../../daemon/runs/runners/types';

const ctx = { stateDir: '/nonexistent/state', projectRoot: path.resolve(__dirname, '../../../..'), log: () => undefined };
const silent = { onEvent: () => undefined, onLog: () => undefined };

describe('ray runner: before any cluster', () => {
  it('is never picked by auto, and says what to set when runner: ray has no address', async () => {
    assert.equal(rayRunnerFactory.auto, false);
    const opened = await rayRunnerFactory.open(parseConfig('finetuning:\n  runner: ray\n', 'config/models.yml').finetuning, ctx);
    assert.ok(isUnavailable(opened));
    assert.match(opened.unavailable, /finetuning\.ray\.address is not set/);
    assert.match(opened.hint, /http:\/\/head:8265/);
  });

  it('refuses a cluster on another machine without shared storage, before submitting anything', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-ray-unit-'));
    try {
      const runner = new RayRunner({ address: 'http://192.0.2.1:8265', storage: null, trainerDir: path.join(ctx.projectRoot, 'docker'), runsDir: path.join(dir, 'runs') });
      const spec: RunSpec = {
        runId: 'r1', workspace: dir, dataDir: dir, snapshotFile: 's.jsonl', outputDir: path.join(dir, 'out'), trainerArgs: [], env: {},
        resources: { gpusPerNode: 'none', nodes: 1, processes: 2, strategy: 'ddp' },
      };
      await assert.rejects(runner.start(spec, silent), (err: unknown) => {
        assert.ok(err instanceof RunnerError);
        assert.equal(err.kind, 'invalid_spec');
        assert.match(err.message, /the Ray cluster at http:\/\/192\.0\.2\.1:8265 is on another machine, and finetuning\.ray\.storage is not set/);
        assert.match(err.hint ?? '', /finetuning\.ray\.storage/);
        return true;
      });
      assert.equal(fs.existsSync(path.join(dir, 'runs')), false, 'no job was recorded');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
