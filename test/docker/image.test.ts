// (a) The trainer image builds from a locally made base, and a plain `docker run` of finetune.py
// trains a tiny model into a host folder. Also: ensureImage() builds (and only when needed).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sourceHash } from '../../daemon/runs/runners/docker/sourceHash';
import { RunnerError } from '../../daemon/runs/runners/types';
import { BASE_IMAGE, DOCKER_CONTEXT, dockerTier, IMAGE, removeWorkspace, runner, sh, type Tier, trainerArgs, workspace } from './harness';

describe('docker tier: the trainer image', function () {
  let t: Tier;
  before(async function () {
    t = await dockerTier();
  });

  it('is built on the local base and labelled with the hash of docker/ (same hash in bash and TypeScript)', async function () {
    const image = await t.docker.getImage(IMAGE).inspect();
    const base = await t.docker.getImage(BASE_IMAGE).inspect();
    const labels = image.Config.Labels ?? {};
    assert.equal(labels['flywheel.base-image'], BASE_IMAGE);
    assert.equal(labels['flywheel.source-hash'], sourceHash(DOCKER_CONTEXT, base.Id));
    const printed = (await sh(['bash', 'scripts/docker-image.sh', '--print-hash'], { DOCKER_HOST: t.dockerHost })).stdout.trim();
    assert.equal(printed, labels['flywheel.source-hash']);
    assert.ok(image.RootFS.Layers!.includes(base.RootFS.Layers![0]), 'the image sits on the debootstrapped base');
    assert.equal(image.Config.User, 'trainer');
  });

  it('trains with `docker run ... python finetune.py` and leaves the model on the host', async function () {
    const ws = workspace(30);
    try {
      if (process.getuid?.() === 0) fs.chownSync(ws.outputDir, 1000, 1000);
      const started = Date.now();
      const { code, stdout } = await sh(
        ['docker', 'run', '--rm', '--init', '--network', 'none', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
          '-e', 'HF_HUB_OFFLINE=1', '-v', `${ws.dataDir}:/data:ro`, '-v', `${ws.outputDir}:/models/out`,
          IMAGE, 'python', 'finetune.py', ...trainerArgs(6)],
        { DOCKER_HOST: t.dockerHost },
        true,
      );
      const events = stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; metrics?: { steps?: number } });
      assert.equal(code, 0, stdout);
      assert.equal(events.at(-1)!.event, 'completed');
      for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'metrics.json', 'README.md']) {
        assert.ok(fs.existsSync(path.join(ws.outputDir, f)), `${f} on the host`);
      }
      const metrics = JSON.parse(fs.readFileSync(path.join(ws.outputDir, 'metrics.json'), 'utf8'));
      assert.equal(metrics.steps, 6);
      assert.ok(fs.statSync(path.join(ws.outputDir, 'model.safetensors')).size > 10_000);
      process.stderr.write(`      [docker run] ${((Date.now() - started) / 1000).toFixed(1)}s for a 6-step run\n`);
    } finally {
      removeWorkspace(ws.dir);
    }
  });

  it('ensureImage() leaves a present image alone', async function () {
    const r = await runner(t);
    const result = await r.ensureImage();
    assert.equal(result.built, false);
  });

  describe('ensureImage() on a context of its own', function () {
    const tag = `flywheel-test-ensure:${process.pid}`;
    let ctx: string;
    beforeEach(function () {
      ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-ctx-'));
      fs.writeFileSync(
        path.join(ctx, 'Dockerfile'),
        'ARG BASE_IMAGE=does-not-exist:latest\nFROM ${BASE_IMAGE}\nCOPY . /ctx/\nRUN echo built-on-base && python3 --version && test -e /ctx/hello.txt && test ! -e /ctx/secret.txt && test ! -e /ctx/pkg/__pycache__\n',
      );
      fs.writeFileSync(path.join(ctx, 'hello.txt'), 'hello\n');
      // A fresh context each time: no layer of an earlier test run can be reused from the cache.
      fs.writeFileSync(path.join(ctx, 'nonce.txt'), `${process.pid}-${Date.now()}-${Math.random()}\n`);
      fs.writeFileSync(path.join(ctx, 'secret.txt'), 'not for the image\n');
      fs.writeFileSync(path.join(ctx, '.dockerignore'), 'secret.txt\n**/__pycache__\n');
      fs.mkdirSync(path.join(ctx, 'pkg', '__pycache__'), { recursive: true });
      fs.writeFileSync(path.join(ctx, 'pkg', 'mod.py'), 'x = 1\n');
      fs.writeFileSync(path.join(ctx, 'pkg', '__pycache__', 'mod.cpython-311.pyc'), 'junk');
    });
    const since = Math.floor(Date.now() / 1000) - 1;
    afterEach(async function () {
      fs.rmSync(ctx, { recursive: true, force: true });
      await t.docker.getImage(tag).remove({ force: true }).catch(() => undefined);
      // A failed classic build leaves its finished steps behind as untagged images: ours go too.
      for (const img of await t.docker.listImages({ filters: { dangling: ['true'] } })) {
        if (img.Created >= since) await t.docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
      }
    });

    it('builds a missing image with the BASE_IMAGE build arg, honours .dockerignore, streams progress, and rebuilds a stale one on request', async function () {
      const lines: string[] = [];
      const r = await runner(t, { image: tag, dockerContext: ctx, onBuildProgress: (l) => lines.push(l) });
      const first = await r.ensureImage();
      assert.equal(first.built, true);
      assert.ok(lines.some((l) => /^Step 1\/\d+ : ARG BASE_IMAGE/.test(l)), lines.join('\n'));
      assert.ok(lines.includes('built-on-base'), lines.join('\n'));
      assert.ok(lines.some((l) => /^Python 3\.11/.test(l)), lines.join('\n'));
      const info = await t.docker.getImage(tag).inspect();
      assert.equal(info.Config.Labels?.['flywheel.source-hash'], first.sourceHash);

      assert.equal((await r.ensureImage('stale')).built, false, 'unchanged context: nothing to do');
      fs.writeFileSync(path.join(ctx, 'hello.txt'), 'hello again\n');
      assert.equal((await r.ensureImage('missing')).built, false, 'present is enough by default');
      const again = await r.ensureImage('stale');
      assert.equal(again.built, true);
      assert.notEqual(again.sourceHash, first.sourceHash);
    });

    it('reports a failing build as a RunnerError with the builder\'s message', async function () {
      fs.appendFileSync(path.join(ctx, 'Dockerfile'), 'RUN echo about to fail && exit 7\n');
      const r = await runner(t, { image: tag, dockerContext: ctx });
      await assert.rejects(r.ensureImage(), (err: unknown) => {
        assert.ok(err instanceof RunnerError);
        assert.equal(err.kind, 'image_build');
        assert.match(err.message, /returned a non-zero code: 7/);
        return true;
      });
    });
  });
});
