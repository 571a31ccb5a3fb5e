import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ModelRegistry,
  RegistryError,
  VersionNotFoundError,
  type VersionMetrics,
} from '../../../daemon/registry/ModelRegistry';
import type { GateConfig } from '../../../daemon/config/schema';
import type { ModelVersion } from '../../../daemon/protocol/models';
import { isRoot, landMetadata, memoryLogger, removeTree, tempDir, writeTrainerOutput } from './helpers';

const MODEL = 'mistral-7b-summarization';
const GATE: GateConfig = { metric: 'eval_loss', mode: 'min', margin: 0 };

describe('registry/ModelRegistry', () => {
  let root: string;
  let out: string;
  let registry: ModelRegistry;

  beforeEach(async () => {
    root = tempDir('registry-');
    out = path.join(root, 'models', 'finetuned');
    registry = await ModelRegistry.open(out);
  });
  afterEach(() => removeTree(root));

  /** A run that wrote its output to staging, landed; returns what land returned. */
  async function landRun(runId: string, metrics: VersionMetrics, parent: string | null = null, extraFiles = 0) {
    const staging = await registry.createStaging(runId);
    writeTrainerOutput(staging, metrics, extraFiles);
    return registry.land({ modelName: MODEL, stagingDir: staging, metadata: landMetadata(runId, { parent }) });
  }

  /** Land, gate and promote as the daemon does. */
  async function landAndGate(runId: string, evalLoss: number | undefined, extra: VersionMetrics = {}) {
    const parent = (await registry.current(MODEL))?.version ?? null;
    const after: Record<string, number> = evalLoss === undefined ? { rougeL: 0.3 } : { eval_loss: evalLoss };
    const landed = await landRun(runId, { after, ...extra }, parent);
    const decision = await registry.evaluate(landed.metadata, GATE);
    if (decision.promote) await registry.promote(MODEL, landed.metadata.version, decision.reason);
    return { landed, decision };
  }

  it('opens (creating the folder) and lists nothing', async () => {
    assert.ok(fs.statSync(out).isDirectory());
    assert.deepEqual(await registry.list(), []);
    assert.equal(await registry.current(MODEL), null);
    assert.deepEqual(await registry.modelNames(), []);
  });

  it('refuses a relative models folder and bad model names', async () => {
    await assert.rejects(ModelRegistry.open('models/finetuned'), RegistryError);
    await assert.rejects(
      registry.land({ modelName: '../escape', stagingDir: path.join(root, 'x'), metadata: landMetadata('r1') }),
      /not a model name/,
    );
    assert.throws(() => registry.stagingPathFor('../../etc'), /cannot name a staging folder/);
  });

  it('v1 lands with its metadata and becomes current as the first version', async () => {
    const { landed, decision } = await landAndGate('run-1', 1.9);
    assert.equal(landed.created, true);
    assert.equal(landed.metadata.version, 'v1');
    assert.equal(landed.path, path.join(out, MODEL, 'v1'));
    assert.deepEqual(decision, {
      promote: true,
      reason: 'first version',
      metric: 'eval_loss',
      candidateValue: 1.9,
      currentValue: undefined,
      currentVersion: null,
      sameHeldOut: false,
    });

    const onDisk = JSON.parse(fs.readFileSync(path.join(landed.path, 'metadata.json'), 'utf8'));
    assert.equal(onDisk.version, 'v1');
    assert.equal(onDisk.modelName, MODEL);
    assert.equal(onDisk.runId, 'run-1');
    assert.equal(onDisk.baseModelResolved, 'mistralai/Mistral-7B-v0.1');
    assert.deepEqual(onDisk.dataset.count, 120);
    assert.deepEqual(onDisk.metrics, { after: { eval_loss: 1.9 } }, 'metrics read from metrics.json, without "examples"');
    assert.equal(onDisk.parent, null);
    assert.ok(!Number.isNaN(Date.parse(onDisk.createdAt)));
    for (const file of ['README.md', 'metrics.json', 'tokenizer.json', 'adapter_model.safetensors', 'adapter/adapter_config.json']) {
      assert.ok(fs.existsSync(path.join(landed.path, file)), file);
    }

    const current = await registry.current(MODEL);
    assert.equal(current?.version, 'v1');
    assert.equal(current?.reason, 'first version');
    const pointer = JSON.parse(fs.readFileSync(path.join(out, MODEL, 'current.json'), 'utf8'));
    assert.equal(pointer.version, 'v1');
    assert.equal(fs.readlinkSync(path.join(out, MODEL, 'current')), 'v1', 'relative symlink');
    assert.equal(fs.realpathSync(path.join(out, MODEL, 'current')), fs.realpathSync(landed.path));
    assert.ok(fs.existsSync(path.join(out, MODEL, 'current', 'README.md')), 'tools can load <name>/current');
    assert.deepEqual(fs.readdirSync(path.join(out, '.staging')), [], 'the staging folder was moved, not copied');
  });

  it('a better v2 is promoted, a worse v3 stays a candidate with the reason', async () => {
    await landAndGate('run-1', 1.9);
    const v2 = await landAndGate('run-2', 1.82);
    assert.equal(v2.landed.metadata.version, 'v2');
    assert.equal(v2.landed.metadata.parent, 'v1');
    assert.equal(v2.decision.promote, true);
    assert.equal(v2.decision.reason, "eval_loss 1.82 is no worse than v1's 1.90 (margin 0)");

    const v3 = await landAndGate('run-3', 2.4);
    assert.equal(v3.decision.promote, false);
    assert.equal(v3.decision.reason, "eval_loss 2.40 is worse than v2's 1.82 (margin 0): kept as a candidate");
    assert.equal((await registry.current(MODEL))?.version, 'v2');
    assert.equal(fs.readlinkSync(path.join(out, MODEL, 'current')), 'v2');

    const list = await registry.list(MODEL);
    assert.deepEqual(
      list.map((v) => [v.version, v.status, v.current]),
      [
        ['v3', 'candidate', false],
        ['v2', 'current', true],
        ['v1', 'previous', false],
      ],
    );
    assert.equal(list[0].runId, 'run-3');
    assert.deepEqual(list[0].metrics.after, { eval_loss: 2.4 });
    // The protocol's ModelVersion is what clients see: a listed version is one.
    const forClient: ModelVersion = list[1];
    assert.equal(forClient.path, path.join(out, MODEL, 'v2'));
  });

  it('a version without the gate metric stays a candidate', async () => {
    await landAndGate('run-1', 1.9);
    const { decision } = await landAndGate('run-2', undefined);
    assert.equal(decision.promote, false);
    assert.equal(decision.reason, "metric eval_loss missing from the new version's metrics: kept as a candidate");
  });

  it("uses the current model's score on the same held-out set when the trainer gives it", async () => {
    await landAndGate('run-1', 1.5); // v1 scored 1.5 on ITS held-out split
    // On the new split v1 scores 2.1 and the candidate 1.9: better on the same data.
    const { decision } = await landAndGate('run-2', 1.9, { baseline_current: { eval_loss: 2.1 } });
    assert.equal(decision.sameHeldOut, true);
    assert.equal(decision.currentValue, 2.1);
    assert.equal(decision.promote, true);
    assert.equal(decision.reason, "eval_loss 1.90 is no worse than v1's 2.10 on the same held-out set (margin 0)");
  });

  it('ignores baseline_current measured on a model that is no longer current', async () => {
    await landAndGate('run-1', 1.5);
    const staging = await registry.createStaging('run-2');
    writeTrainerOutput(staging, { after: { eval_loss: 1.9 }, baseline_current: { eval_loss: 2.1 } });
    // parent v7: the run started while some other version was current.
    const landed = await registry.land({ modelName: MODEL, stagingDir: staging, metadata: landMetadata('run-2', { parent: 'v7' }) });
    const decision = await registry.evaluate(landed.metadata, GATE);
    assert.equal(decision.sameHeldOut, false);
    assert.equal(decision.currentValue, 1.5);
    assert.equal(decision.promote, false);
  });

  it('evaluating the version already current says so (a retry after a crash re-runs the hook)', async () => {
    const { landed } = await landAndGate('run-1', 1.9);
    const again = await registry.evaluate(landed.metadata, GATE);
    assert.equal(again.promote, true);
    assert.equal(again.reason, 'v1 is already the current version');
    await registry.promote(MODEL, 'v1', again.reason);
    assert.equal((await registry.history(MODEL)).length, 1, 'no second history line');
  });

  it('promote by hand and rollback work and are recorded in history', async () => {
    await landAndGate('run-1', 1.9);
    await landAndGate('run-2', 1.8);
    await landAndGate('run-3', 2.4); // candidate
    assert.equal((await registry.current(MODEL))?.version, 'v2');

    const promoted = await registry.promote(MODEL, 'v3', 'better on our own benchmark');
    assert.equal(promoted.version, 'v3');
    assert.equal((await registry.current(MODEL))?.reason, 'better on our own benchmark');
    assert.equal(fs.readlinkSync(path.join(out, MODEL, 'current')), 'v3');

    assert.equal((await registry.rollback(MODEL)).version, 'v2');
    assert.equal(fs.readlinkSync(path.join(out, MODEL, 'current')), 'v2');
    assert.equal((await registry.rollback(MODEL, 'v2 regressed in production')).version, 'v1');
    await assert.rejects(registry.rollback(MODEL), /v1 is the first version that was current/);

    const history = await registry.history(MODEL);
    assert.deepEqual(
      history.map((h) => [h.action, h.version, h.from]),
      [
        ['promote', 'v1', null],
        ['promote', 'v2', 'v1'],
        ['promote', 'v3', 'v2'],
        ['rollback', 'v2', 'v3'],
        ['rollback', 'v1', 'v2'],
      ],
    );
    assert.equal(history[3].reason, 'rolled back from v3');
    assert.equal(history[4].reason, 'v2 regressed in production');
    // Every line is a complete JSON document, appended (never rewritten).
    const lines = fs.readFileSync(path.join(out, MODEL, 'history.jsonl'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 5);
    lines.forEach((l) => JSON.parse(l));

    // Promoting the current version again changes nothing.
    await registry.promote(MODEL, 'v1', 'again');
    assert.equal((await registry.history(MODEL)).length, 5);
    // Numbers and "3" name versions too.
    assert.equal((await registry.promote(MODEL, 3, 'by number')).version, 'v3');
    assert.equal((await registry.get(MODEL, '3')).runId, 'run-3');
  });

  it('rollback with nothing current is an error', async () => {
    await landRun('run-1', { after: { eval_loss: 1 } });
    await assert.rejects(registry.rollback(MODEL), /no version is current/);
  });

  it('unknown versions and models raise VersionNotFoundError listing what exists', async () => {
    await landRun('run-1', { after: { eval_loss: 1 } });
    await landRun('run-2', { after: { eval_loss: 1 } });
    await assert.rejects(registry.get(MODEL, 'v9'), (error: unknown) => {
      assert.ok(error instanceof VersionNotFoundError);
      assert.equal(error.message, `model "${MODEL}" has no version v9 (versions: v1, v2)`);
      assert.deepEqual(error.available, ['v1', 'v2']);
      return true;
    });
    await assert.rejects(registry.promote(MODEL, 'latest', 'x'), VersionNotFoundError);
    await assert.rejects(registry.get('other-model', 'v1'), /no model named "other-model" \(models: mistral-7b-summarization\)/);
  });

  it('landed files are read-only (files 0444, folders 0555)', async () => {
    const { path: dir } = await landRun('run-1', { after: { eval_loss: 1 } });
    const modes: string[] = [];
    const walk = (p: string) => {
      const stat = fs.lstatSync(p);
      modes.push(`${path.relative(dir, p) || '.'} ${(stat.mode & 0o777).toString(8)}`);
      if (stat.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
    };
    walk(dir);
    for (const entry of modes) {
      const [name, mode] = entry.split(' ');
      const isDir = fs.lstatSync(path.join(dir, name)).isDirectory();
      assert.equal(mode, isDir ? '555' : '444', entry);
    }
    assert.ok(modes.some((m) => m.startsWith('metadata.json ')));
    if (!isRoot) {
      assert.throws(() => fs.writeFileSync(path.join(dir, 'README.md'), 'changed'), /EACCES/);
      assert.throws(() => fs.writeFileSync(path.join(dir, 'new-file'), 'x'), /EACCES/);
    }
  });

  it('landing is atomic: v<N> appears only complete, read-only and with its metadata', async () => {
    const staging = await registry.createStaging('run-1');
    writeTrainerOutput(staging, { after: { eval_loss: 1 } }, 50);
    const target = path.join(out, MODEL, 'v1');
    const original = fs.promises.rename;
    let checked = false;
    fs.promises.rename = async (from: fs.PathLike, to: fs.PathLike) => {
      if (String(to) === target) {
        // Just before the version becomes visible: it is not there yet, and what will appear is whole.
        assert.equal(fs.existsSync(target), false);
        const metadata = JSON.parse(fs.readFileSync(path.join(String(from), 'metadata.json'), 'utf8'));
        assert.equal(metadata.version, 'v1');
        assert.equal(metadata.runId, 'run-1');
        assert.equal(fs.statSync(path.join(String(from), 'shard-49.bin')).mode & 0o777, 0o444);
        assert.equal(fs.statSync(path.join(String(from), 'adapter')).mode & 0o777, 0o555);
        assert.deepEqual(
          fs.readdirSync(String(from)).filter((n) => n.endsWith('.tmp')),
          [],
          'no temp file left behind',
        );
        checked = true;
      }
      return original(from, to);
    };
    // Meanwhile, a reader polling the folder never sees v1 without its metadata.
    let polling = true;
    let sawIncomplete = false;
    const poll = (async () => {
      while (polling) {
        if (fs.existsSync(target) && !fs.existsSync(path.join(target, 'metadata.json'))) sawIncomplete = true;
        await new Promise((r) => setImmediate(r));
      }
    })();
    try {
      await registry.land({ modelName: MODEL, stagingDir: staging, metadata: landMetadata('run-1') });
    } finally {
      fs.promises.rename = original;
      polling = false;
      await poll;
    }
    assert.ok(checked, 'the rename was observed');
    assert.equal(sawIncomplete, false);
  });

  it('a crash before the rename leaves nothing listed; a retry lands it, or cleanup removes it', async () => {
    const staging = await registry.createStaging('run-1');
    writeTrainerOutput(staging, { after: { eval_loss: 1 } });
    const original = fs.promises.rename;
    fs.promises.rename = async (from: fs.PathLike, to: fs.PathLike) => {
      if (String(from) === staging) throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
      return original(from, to);
    };
    try {
      await assert.rejects(registry.land({ modelName: MODEL, stagingDir: staging, metadata: landMetadata('run-1') }), /simulated crash/);
    } finally {
      fs.promises.rename = original;
    }
    // The staging folder holds a complete, sealed copy; nothing is visible as a version.
    assert.ok(fs.existsSync(path.join(staging, 'metadata.json')));
    const reopened = await ModelRegistry.open(out);
    assert.deepEqual(await reopened.list(), []);
    assert.deepEqual(await reopened.versions(MODEL), []);

    // The daemon retries the land of a run it knows about: it lands now.
    const retried = await reopened.land({ modelName: MODEL, stagingDir: staging, metadata: landMetadata('run-1') });
    assert.equal(retried.metadata.version, 'v1');
    assert.equal(retried.created, true);

    // An abandoned staging folder (a run the daemon no longer knows) is removed; kept ones stay.
    for (const id of ['run-abandoned', 'run-active']) {
      const dir = await reopened.createStaging(id);
      writeTrainerOutput(dir);
      fs.chmodSync(path.join(dir, 'adapter'), 0o555); // sealed, as a crash mid-land leaves it
    }
    assert.deepEqual(await reopened.cleanupStaging(['run-active']), ['run-abandoned']);
    assert.deepEqual(fs.readdirSync(path.join(out, '.staging')), ['run-active']);
    assert.deepEqual((await reopened.list()).map((v) => v.version), ['v1']);
  });

  it('land is idempotent by runId (a retry after a crash returns the landed version)', async () => {
    const first = await landRun('run-1', { after: { eval_loss: 1 } });
    // A crash after the rename but before the folder was sealed.
    fs.chmodSync(first.path, 0o755);
    const again = await registry.land({ modelName: MODEL, stagingDir: path.join(out, '.staging', 'run-1'), metadata: landMetadata('run-1') });
    assert.equal(again.created, false);
    assert.equal(again.metadata.version, 'v1');
    assert.equal(again.metadata.createdAt, first.metadata.createdAt);
    assert.equal(fs.statSync(first.path).mode & 0o777, 0o555, 'resealed');
    assert.deepEqual(await registry.versions(MODEL), ['v1']);
  });

  it('numbers versions past gaps and never twice under concurrent lands', async () => {
    await landRun('run-1', { after: { eval_loss: 1 } });
    // v2 deleted by hand, v6 copied in by hand: the next number is 7.
    fs.mkdirSync(path.join(out, MODEL, 'v6'));
    fs.writeFileSync(
      path.join(out, MODEL, 'v6', 'metadata.json'),
      JSON.stringify({ version: 'v6', modelName: MODEL, runId: 'manual', createdAt: '2025-01-01T00:00:00.000Z', metrics: {} }),
    );
    const stagings = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => registry.createStaging(`run-${id}`)));
    stagings.forEach((s) => writeTrainerOutput(s));
    const landed = await Promise.all(
      stagings.map((s, i) => registry.land({ modelName: MODEL, stagingDir: s, metadata: landMetadata(`run-${'abcde'[i]}`) })),
    );
    assert.deepEqual(landed.map((l) => l.metadata.version).sort(), ['v10', 'v11', 'v7', 'v8', 'v9']);
    assert.deepEqual(await registry.versions(MODEL), ['v1', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11']);
    for (const l of landed) {
      const meta = JSON.parse(fs.readFileSync(path.join(l.path, 'metadata.json'), 'utf8'));
      assert.equal(meta.version, path.basename(l.path));
    }
  });

  it('a version folder taken by another writer makes land use the next number', async () => {
    const staging = await registry.createStaging('run-1');
    writeTrainerOutput(staging);
    const original = fs.promises.rename;
    fs.promises.rename = async (from: fs.PathLike, to: fs.PathLike) => {
      if (String(to) === path.join(out, MODEL, 'v1') && !fs.existsSync(String(to))) {
        // Another process lands v1 between our look and our rename.
        fs.mkdirSync(path.join(String(to), 'weights'), { recursive: true });
      }
      return original(from, to);
    };
    try {
      const landed = await registry.land({ modelName: MODEL, stagingDir: staging, metadata: landMetadata('run-1') });
      assert.equal(landed.metadata.version, 'v2');
      assert.equal(JSON.parse(fs.readFileSync(path.join(landed.path, 'metadata.json'), 'utf8')).version, 'v2');
    } finally {
      fs.promises.rename = original;
    }
  });

  it('refuses to land a missing staging folder or invalid metadata', async () => {
    await assert.rejects(
      registry.land({ modelName: MODEL, stagingDir: path.join(out, '.staging', 'nope'), metadata: landMetadata('nope') }),
      /does not exist and no version/,
    );
    const staging = await registry.createStaging('run-1');
    const bad = { ...landMetadata('run-1'), durationSeconds: 'long' } as unknown as ReturnType<typeof landMetadata>;
    await assert.rejects(registry.land({ modelName: MODEL, stagingDir: staging, metadata: bad }), /invalid metadata \(durationSeconds:/);
    assert.deepEqual(await registry.versions(MODEL), []);
  });

  it('takes metrics given by the caller over metrics.json', async () => {
    const staging = await registry.createStaging('run-1');
    writeTrainerOutput(staging, { after: { eval_loss: 9 } });
    const landed = await registry.land({
      modelName: MODEL,
      stagingDir: staging,
      metadata: { ...landMetadata('run-1'), metrics: { after: { eval_loss: 1.25 }, before: { eval_loss: 2 } } },
    });
    assert.deepEqual(landed.metadata.metrics, { after: { eval_loss: 1.25 }, before: { eval_loss: 2 } });
  });

  it('the current symlink resolves to the current version and follows promotions', async () => {
    await landAndGate('run-1', 1.9);
    await landAndGate('run-2', 1.5);
    const link = path.join(out, MODEL, 'current');
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.readlinkSync(link), 'v2');
    assert.equal(JSON.parse(fs.readFileSync(path.join(link, 'metadata.json'), 'utf8')).runId, 'run-2');
    await registry.rollback(MODEL);
    assert.equal(fs.readlinkSync(link), 'v1');
    // No temp symlinks or temp files are left in the model folder.
    assert.deepEqual(fs.readdirSync(path.join(out, MODEL)).sort(), ['current', 'current.json', 'history.jsonl', 'v1', 'v2']);
  });

  it('open repairs a crash between the pointer and history, and a stale symlink', async () => {
    await landAndGate('run-1', 1.9);
    await landRun('run-2', { after: { eval_loss: 1.5 } }, 'v1');
    // The pointer moved to v2 (the commit point), then the daemon died: no history line, old symlink.
    fs.writeFileSync(
      path.join(out, MODEL, 'current.json'),
      JSON.stringify({ version: 'v2', promotedAt: '2025-01-02T00:00:00.000Z', reason: 'eval_loss better', action: 'promote' }),
    );
    fs.writeFileSync(path.join(out, MODEL, '.current.json.123.abc.tmp'), '{"version"'); // an interrupted write
    const logger = memoryLogger();
    const reopened = await ModelRegistry.open(out, logger);
    assert.equal((await reopened.current(MODEL))?.version, 'v2');
    assert.equal(fs.readlinkSync(path.join(out, MODEL, 'current')), 'v2');
    const history = await reopened.history(MODEL);
    assert.deepEqual(history.at(-1), {
      at: '2025-01-02T00:00:00.000Z',
      action: 'promote',
      version: 'v2',
      from: 'v1',
      reason: 'eval_loss better',
      recovered: true,
    });
    assert.ok(logger.lines.some((l) => l.includes('missed the change to v2')));
    assert.ok(!fs.readdirSync(path.join(out, MODEL)).some((n) => n.endsWith('.tmp')));
    // Rollback still goes where it should.
    assert.equal((await reopened.rollback(MODEL)).version, 'v1');
  });

  it('reads history past a torn last line and never glues onto it', async () => {
    await landAndGate('run-1', 1.9);
    await landAndGate('run-2', 1.5);
    const file = path.join(out, MODEL, 'history.jsonl');
    fs.appendFileSync(file, '{"at":"2025-01-0'); // a crash mid-append
    const logger = memoryLogger();
    const reopened = await ModelRegistry.open(out, logger);
    assert.equal((await reopened.history(MODEL)).length, 2);
    assert.equal((await reopened.rollback(MODEL)).version, 'v1');
    const history = await reopened.history(MODEL);
    assert.deepEqual(history.map((h) => h.version), ['v1', 'v2', 'v1']);
    assert.ok(logger.lines.some((l) => l.includes('history.jsonl:3 is not a history entry')));
  });

  it('lists every model newest first', async () => {
    await landRun('run-1', { after: { eval_loss: 1 } });
    await new Promise((r) => setTimeout(r, 5));
    const staging = await registry.createStaging('run-2');
    writeTrainerOutput(staging);
    await registry.land({ modelName: 'tiny-random-t5-qa', stagingDir: staging, metadata: landMetadata('run-2', { task: 'qa' }) });
    assert.deepEqual(await registry.modelNames(), ['mistral-7b-summarization', 'tiny-random-t5-qa']);
    assert.deepEqual(
      (await registry.list()).map((v) => `${v.modelName} ${v.version}`),
      ['tiny-random-t5-qa v1', 'mistral-7b-summarization v1'],
    );
  });
});
