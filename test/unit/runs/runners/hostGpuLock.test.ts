import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tryAcquireGpu } from '../../../../daemon/runs/runners/hostGpuLock';

describe('host-wide GPU lock', () => {
  const file = path.join(os.tmpdir(), `ft-gpu-lock-${process.pid}.lock`);
  afterEach(() => fs.rmSync(file, { force: true }));

  it('lets one run hold the GPU and tells a second who holds it, until released', () => {
    const a = tryAcquireGpu({ pid: process.pid, workspace: '/ws/a', runId: 'run-a' }, file);
    assert.ok('release' in a);
    const b = tryAcquireGpu({ pid: process.pid, workspace: '/ws/b', runId: 'run-b' }, file);
    assert.ok(!('release' in b));
    assert.equal(b.workspace, '/ws/a');
    a.release();
    const c = tryAcquireGpu({ pid: process.pid, workspace: '/ws/b', runId: 'run-b' }, file);
    assert.ok('release' in c);
    c.release();
  });

  it('takes over a lock whose daemon died', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    fs.writeFileSync(file, JSON.stringify({ pid: child.pid, workspace: '/ws/dead', runId: 'run-dead' }));
    const r = tryAcquireGpu({ pid: process.pid, workspace: '/ws/b', runId: 'run-b' }, file);
    assert.ok('release' in r);
    r.release();
  });
});
