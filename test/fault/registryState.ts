// What the model registry's files say, checked for consistency: every version folder is complete
// (metadata.json naming it, every file its run wrote per manifest.txt, sealed read-only), no run
// landed twice, and the current pointer names a complete version that history and the `current`
// link agree with. Shared by the kill -9 rounds and the registry's disk-fault tests.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RegistryState {
  model: string;
  /** version → the run that landed it */
  versions: Map<string, string>;
  current: string | null;
}

/** Lines "relative/path size" for every file under `dir`, sorted (what manifest.txt lists). */
export function manifestOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, e.name);
      if (e.isDirectory()) walk(rel);
      else if (e.name !== 'manifest.txt' && e.name !== 'metadata.json') out.push(`${rel} ${fs.statSync(path.join(dir, rel)).size}`);
    }
  };
  walk('');
  return out.sort();
}

/**
 * Asserts the registry under `outputDir` is consistent. `settled`: no operation is half-done
 * (after a restart or a successful operation), so the link and history must agree too.
 */
export function checkRegistryFiles(outputDir: string, where: string, settled = true): RegistryState {
  const models = fs.existsSync(outputDir) ? fs.readdirSync(outputDir).filter((n) => !n.startsWith('.')) : [];
  assert.ok(models.length <= 1, `${where}: one model, got ${models.join(', ')}`);
  const model = models[0] ?? '';
  const state: RegistryState = { model, versions: new Map(), current: null };
  if (!model) return state;
  const dir = path.join(outputDir, model);
  const runIds = new Set<string>();
  for (const v of fs.readdirSync(dir).filter((n) => /^v\d+$/.test(n))) {
    const vdir = path.join(dir, v);
    const meta = JSON.parse(fs.readFileSync(path.join(vdir, 'metadata.json'), 'utf8')) as { version: string; runId: string };
    assert.equal(meta.version, v, `${where}: ${v}/metadata.json names its own version`);
    const manifest = fs.readFileSync(path.join(vdir, 'manifest.txt'), 'utf8').split('\n').filter(Boolean).sort();
    assert.deepEqual(manifestOf(vdir), manifest, `${where}: ${v} holds every file its run wrote`);
    if (settled) assert.equal(fs.statSync(vdir).mode & 0o777, 0o555, `${where}: ${v} is sealed read-only`);
    assert.ok(!runIds.has(meta.runId), `${where}: run ${meta.runId} landed twice`);
    runIds.add(meta.runId);
    state.versions.set(v, meta.runId);
  }
  const pointerFile = path.join(dir, 'current.json');
  if (fs.existsSync(pointerFile)) {
    const pointer = JSON.parse(fs.readFileSync(pointerFile, 'utf8')) as { version: string };
    assert.ok(state.versions.has(pointer.version), `${where}: current.json names ${pointer.version}, which is not a complete version`);
    state.current = pointer.version;
    if (settled) {
      assert.equal(fs.readlinkSync(path.join(dir, 'current')), pointer.version, `${where}: the current link agrees with current.json`);
      const history = fs.readFileSync(path.join(dir, 'history.jsonl'), 'utf8').split('\n').filter(Boolean);
      assert.equal((JSON.parse(history.at(-1)!) as { version: string }).version, pointer.version, `${where}: history ends with the current version`);
    }
  }
  return state;
}
