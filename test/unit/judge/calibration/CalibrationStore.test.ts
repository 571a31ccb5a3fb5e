import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Calibration } from '../../../../daemon/judge/calibration/Calibration';
import { CalibrationStore } from '../../../../daemon/judge/calibration/CalibrationStore';
import { DomainError } from '../../../../daemon/errors/DomainError';

const cal = (top: number): Calibration => ({
  format: 1,
  judge: 'heuristic-2',
  task: 'summarization',
  fitted: { on: '40 overrides', labels: 40, at: '2026-01-01T00:00:00Z' },
  criteria: { consistency: { x: [0.2, 0.8], y: [0.1, top] } },
});

describe('CalibrationStore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-cal-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts with none: the judge keeps its shipped calibration', async () => {
    const s = await CalibrationStore.open(dir);
    assert.equal(s.current, null);
    assert.deepEqual(s.calibrations(), []);
    assert.deepEqual(await s.list(), []);
    assert.equal(s.problem, null);
  });

  it('saves numbered versions, each naming the one it replaced, and survives a reopen', async () => {
    const s = await CalibrationStore.open(dir);
    const v1 = await s.save(cal(0.8));
    const v2 = await s.save(cal(0.9), { before: { precision: 0.5, recall: 0.9, auc: 0.7, spearman: 0.4 } });
    assert.deepEqual([v1.version, v1.previous, v2.version, v2.previous], ['v1', null, 'v2', 'v1']);
    const again = await CalibrationStore.open(dir);
    assert.equal(again.current?.version, 'v2');
    assert.deepEqual(again.calibrations(), [cal(0.9)]);
    assert.deepEqual((await again.list()).map((v) => v.version), ['v2', 'v1']);
    assert.equal(again.current?.before?.precision, 0.5);
    // Only the version files and the pointer: no temp files left behind.
    assert.deepEqual(fs.readdirSync(path.join(dir, 'calibration')).sort(), ['current.json', 'v1.json', 'v2.json']);
  });

  it('reverts one confirmation at a time, back to the shipped calibration, then says there is nothing to revert', async () => {
    const s = await CalibrationStore.open(dir);
    await s.save(cal(0.8));
    await s.save(cal(0.9));
    assert.deepEqual(await revert(s), ['v2', 'v1']);
    // A version saved after a revert replaces v1, so reverting it goes back to v1, not v2.
    assert.equal((await s.save(cal(0.95))).previous, 'v1');
    assert.equal(s.current?.version, 'v3');
    assert.deepEqual(await revert(s), ['v3', 'v1']);
    assert.deepEqual(await revert(s), ['v1', null]);
    assert.equal((await CalibrationStore.open(dir)).current, null, 'the revert is on disk');
    await assert.rejects(s.revert(), (e: unknown) => e instanceof DomainError && e.kind === 'no-earlier-calibration' && /shipped/.test(e.message));
  });

  it('opens a damaged pointer or version as "none" and says which file is wrong; saving again repairs it', async () => {
    const s = await CalibrationStore.open(dir);
    await s.save(cal(0.8));
    fs.writeFileSync(path.join(dir, 'calibration', 'v1.json'), '{"format": 1, "version": "v1"');
    const broken = await CalibrationStore.open(dir);
    assert.equal(broken.current, null);
    assert.match(broken.problem!, /v1\.json: not valid JSON/);
    fs.writeFileSync(path.join(dir, 'calibration', 'current.json'), JSON.stringify({ format: 1, current: 'v7', at: 'x' }));
    assert.match((await CalibrationStore.open(dir)).problem!, /v7\.json: missing/);
    const saved = await broken.save(cal(0.9));
    assert.equal(saved.version, 'v2', 'a damaged v1 still holds its number');
    assert.equal(broken.problem, null);
    assert.equal((await CalibrationStore.open(dir)).current?.version, 'v2');
  });
});

async function revert(s: CalibrationStore): Promise<[string, string | null]> {
  const { from, to } = await s.revert();
  return [from.version, to?.version ?? null];
}
