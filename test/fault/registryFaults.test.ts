// Issue 10: ENOSPC and EIO injected at every write, fsync and rename of the model registry
// (landing a version: its metadata, sealing its files, the move into place; promoting it: the
// current pointer, the history line, the `current` link), once and forever. The operation fails
// with a storage error (never "internal") or, where the registry may carry on (the link is only
// a convenience), succeeds; nothing already landed is lost or half-visible, the pointer always
// names a complete version; once the disk takes writes again the same landing and promotion
// work, and so does the next, and a fresh open (a restart) reads the same registry.
// The fault wrapper: FaultyFs wraps the real fs calls the registry makes.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toProtocolError } from '../../daemon/errors/toProtocolError';
import { ErrorCodes } from '../../daemon/protocol';
import { ModelRegistry } from '../../daemon/registry/ModelRegistry';
import { landMetadata } from '../unit/registry/helpers';
import { faultCounts } from './counts';
import { FaultyFs } from './faultyFs';
import { checkRegistryFiles, manifestOf } from './registryState';

const MODEL = 'tiny-summarization';
// FAULT_LONG=1 (npm run bench): more files to seal, so faults land among more fsyncs.
const SHARDS = process.env.FAULT_LONG ? 12 : 3;

/** What a finished run leaves in its staging folder (written before any fault is injected). */
async function stageRun(registry: ModelRegistry, runId: string): Promise<void> {
  const dir = await registry.createStaging(runId);
  fs.mkdirSync(path.join(dir, 'shards'));
  fs.writeFileSync(path.join(dir, 'adapter_model.safetensors'), Buffer.alloc(65536, 7));
  for (let i = 0; i < SHARDS; i++) fs.writeFileSync(path.join(dir, 'shards', `shard-${i}.bin`), Buffer.alloc(4096, i));
  fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify({ after: { eval_loss: 1 } }));
  fs.writeFileSync(path.join(dir, 'manifest.txt'), manifestOf(dir).join('\n') + '\n');
}

/** Land a staged run and make it current, as a run's end does (the gate's promotion). */
async function landAndPromote(registry: ModelRegistry, runId: string): Promise<string> {
  const landed = await registry.land({ modelName: MODEL, stagingDir: registry.stagingPathFor(runId), metadata: landMetadata(runId) });
  await registry.promote(MODEL, landed.metadata.version, `${runId} is better`);
  return landed.metadata.version;
}

function assertStorageError(error: unknown, where: string): void {
  const p = toProtocolError(error);
  assert.equal(p.code, ErrorCodes.Storage, `${where}: a storage error, got ${p.message}`);
  assert.doesNotMatch(p.message, /internal/, where);
  assert.match(p.message, /injected/, `${where}: the message says what failed`);
  assert.match(p.data.hint ?? '', /Free disk space or fix the disk/, `${where}: the hint says what to do`);
}

describe('fault: ENOSPC and EIO at every write, fsync and rename of the model registry', function () {
  let dir: string;
  let faulty: FaultyFs | undefined;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-registry-faults-'))));
  afterEach(() => {
    faulty?.uninstall();
    faulty = undefined;
    // Landed versions are sealed read-only: make them removable.
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 1 });
  });

  /** A registry with v1 landed and current, and run-2 staged; `at` = 0 counts the operations only. */
  async function scenario(at: number, mode: 'once' | 'forever', code: 'ENOSPC' | 'EIO') {
    const outputDir = fs.mkdtempSync(path.join(dir, `${at}-`));
    const registry = await ModelRegistry.open(outputDir);
    await stageRun(registry, 'run-1');
    await landAndPromote(registry, 'run-1');
    await stageRun(registry, 'run-2');
    faulty = await FaultyFs.install({ root: outputDir, at: at || Number.MAX_SAFE_INTEGER, mode, code });
    return { outputDir, registry };
  }

  async function operationsToFault(): Promise<number> {
    const { registry } = await scenario(0, 'once', 'EIO');
    await landAndPromote(registry, 'run-2');
    const ops = faulty!.ops;
    faulty!.uninstall();
    return ops;
  }

  for (const code of ['ENOSPC', 'EIO'] as const) {
    for (const mode of ['once', 'forever'] as const) {
      it(`${code} ${mode}, at each write, fsync and rename of a landing and its promotion`, async function () {
        this.timeout(120_000);
        const ops = await operationsToFault();
        assert.ok(ops >= 10, `a landing and a promotion write, fsync and rename: counted ${ops}`);
        let refused = 0;
        let absorbed = 0;
        for (let at = 1; at <= ops; at++) {
          const where = `${code} ${mode} at operation ${at} of ${ops}`;
          const { outputDir, registry } = await scenario(at, mode, code);
          let failure: unknown;
          try {
            await landAndPromote(registry, 'run-2');
          } catch (error) {
            failure = error;
          }
          assert.ok(faulty!.injected.length > 0, `${where}: the fault was injected`);
          if (failure) {
            refused++;
            assertStorageError(failure, `${where} (${faulty!.injected[0]})`);
          } else {
            absorbed++; // the `current` link (current.json is the truth; the link is fixed later) or a fsync after sealing
          }
          // While the disk fails: v1 is intact, every version folder is complete, the pointer names one.
          const during = checkRegistryFiles(outputDir, `${where}, during the fault`, false);
          assert.equal(during.versions.get('v1'), 'run-1', `${where}: v1 is kept`);
          assert.ok(during.current === 'v1' || during.current === 'v2', `${where}: current is v1 or v2, got ${during.current}`);
          if (mode === 'forever' && failure) {
            // Still failing: a second try fails the same way and changes nothing that was complete.
            await assert.rejects(landAndPromote(registry, 'run-2'), (e: unknown) => (assertStorageError(e, `${where}, second try`), true));
            checkRegistryFiles(outputDir, `${where}, after a second try`, false);
          }

          // The disk takes writes again: the same landing and promotion work (a landed run is not landed twice)...
          faulty!.healed = true;
          assert.equal(await landAndPromote(registry, 'run-2'), 'v2', `${where}: run-2 is v2 once healed`);
          const healed = checkRegistryFiles(outputDir, `${where}, healed`);
          assert.deepEqual([...healed.versions], [['v1', 'run-1'], ['v2', 'run-2']], `${where}: nothing lost, nothing doubled`);
          assert.equal(healed.current, 'v2');
          // ...and so does the next one.
          await stageRun(registry, 'run-3');
          assert.equal(await landAndPromote(registry, 'run-3'), 'v3', `${where}: the next landing`);
          faulty!.uninstall();
          // A restart reads the same, consistent registry.
          const again = await ModelRegistry.open(outputDir);
          assert.equal((await again.current(MODEL))?.version, 'v3');
          assert.deepEqual((await again.list(MODEL)).map((v) => v.version).sort(), ['v1', 'v2', 'v3']);
          checkRegistryFiles(outputDir, `${where}, after a restart`);
        }
        faultCounts.add({ storageFaults: ops });
        console.log(`      ${code} ${mode}: ${ops} fault points, ${refused} refused with a storage error, ${absorbed} carried on where a step is best-effort (the current link, a fsync after sealing), nothing landed lost, healed every time`);
      });
    }
  }

  it('a metadata temp file left by a daemon killed mid-write does not land inside the version', async () => {
    const outputDir = path.join(dir, 'models');
    const registry = await ModelRegistry.open(outputDir);
    await stageRun(registry, 'run-1');
    // What kill -9 during writeFileAtomic(metadata.json) leaves in the staging folder (found by the kill -9 rounds).
    fs.writeFileSync(path.join(registry.stagingPathFor('run-1'), '.metadata.json.4317.c2f0fa57c57b.tmp'), '{"runId": "run-1", "vers');
    assert.equal(await landAndPromote(registry, 'run-1'), 'v1');
    checkRegistryFiles(outputDir, 'after landing over a crash leftover');
    assert.deepEqual(fs.readdirSync(path.join(outputDir, MODEL, 'v1')).filter((n) => n.endsWith('.tmp')), []);
  });
});
