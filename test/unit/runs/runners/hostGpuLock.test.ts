import { strict as assert } from 'node:assert';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tryAcquireGpu } from '../../../../daemon/runs/runners/hostGpuLock';

const NOBODY = 65534;
const canSwitchUser = process.getuid?.() === 0;

describe('host-wide GPU lock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    // A sticky, world-writable folder like /tmp, where the lock lives.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-gpu-lock-'));
    fs.chmodSync(dir, 0o1777);
    file = path.join(dir, 'gpu.lock');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

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
    assert.equal(fs.existsSync(file), false);
  });

  it('is created 0644 whatever the umask: others can read who holds it, not rewrite it; no temp file left', () => {
    const old = process.umask(0);
    try {
      const a = tryAcquireGpu({ pid: process.pid, workspace: '/ws/a', runId: 'run-a' }, file);
      assert.ok('release' in a);
      assert.equal(fs.statSync(file).mode & 0o777, 0o644);
      assert.deepEqual(fs.readdirSync(dir), ['gpu.lock']);
      a.release();
    } finally {
      process.umask(old);
    }
  });

  it('takes over a lock whose daemon died, and one naming no process (pid 0 would signal a process group)', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.once('exit', r));
    fs.writeFileSync(file, JSON.stringify({ pid: child.pid, workspace: '/ws/dead', runId: 'run-dead' }));
    const r = tryAcquireGpu({ pid: process.pid, workspace: '/ws/b', runId: 'run-b' }, file);
    assert.ok('release' in r);
    r.release();
    fs.writeFileSync(file, JSON.stringify({ pid: 0, workspace: '/ws/forged', runId: 'forged' }));
    const s = tryAcquireGpu({ pid: process.pid, workspace: '/ws/b', runId: 'run-b' }, file);
    assert.ok('release' in s);
    s.release();
  });

  it('never follows a link planted at the lock path, nor deletes it: the run waits and says what to remove', () => {
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'keep me\n');
    fs.symlinkSync(victim, file);
    const r = tryAcquireGpu({ pid: process.pid, workspace: '/ws/a', runId: 'run-a' }, file);
    assert.ok(!('release' in r));
    assert.match(r.problem ?? '', /gpu\.lock is a symbolic link, not a GPU lock file: remove it/);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me\n');
    assert.ok(fs.lstatSync(file).isSymbolicLink());
    // A dangling link is not followed to create its target either.
    fs.rmSync(file);
    fs.symlinkSync(path.join(dir, 'created-through-link'), file);
    assert.ok(!('release' in tryAcquireGpu({ pid: process.pid, workspace: '/ws/a', runId: 'run-a' }, file)));
    assert.equal(fs.existsSync(path.join(dir, 'created-through-link')), false);
  });

  it('does not block on a FIFO planted at the lock path', () => {
    execFileSync('mkfifo', [file]);
    const r = tryAcquireGpu({ pid: process.pid, workspace: '/ws/a', runId: 'run-a' }, file);
    assert.ok(!('release' in r));
    assert.match(r.problem ?? '', /not a regular file/);
  });

  (canSwitchUser ? it : it.skip)('respects a lock held by another user, and waits on a dead one it may not remove', function () {
    this.timeout(60_000);
    // This process (root) holds the lock; a daemon of user nobody asks for it.
    const held = tryAcquireGpu({ pid: process.pid, workspace: '/ws/root', runId: 'run-root' }, file);
    assert.ok('release' in held);
    const askAsNobody = () => {
      const script = `const { tryAcquireGpu } = require(${JSON.stringify(path.resolve('daemon/runs/runners/hostGpuLock.ts'))});
        const r = tryAcquireGpu({ pid: process.pid, workspace: '/ws/nobody', runId: 'run-nobody' }, ${JSON.stringify(file)});
        console.log(JSON.stringify('release' in r ? { took: true } : r));`;
      const out = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 50_000, env: { ...process.env, HOME: dir } });
      assert.equal(out.status, 0, out.stderr);
      return JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { took?: boolean; runId?: string; problem?: string };
    };
    const live = askAsNobody();
    assert.equal(live.runId, 'run-root', 'a live holder of another user (kill answers EPERM) holds the GPU');
    held.release();
    // A dead holder's lock owned by root, in a sticky folder: nobody cannot remove it and says so.
    fs.writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 7, workspace: '/ws/gone', runId: 'run-gone' }), { mode: 0o644 });
    const stale = askAsNobody();
    assert.match(stale.problem ?? '', /names a run that is gone, but it belongs to user 0/);
    assert.ok(fs.existsSync(file));
  });
});
