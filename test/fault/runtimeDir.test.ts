// Finding 3 of issue 10: a runtime folder another user created first (or a loose or linked one)
// is refused, not repaired; files beside the socket are never written through a planted link,
// and a detached daemon's stderr file is capped.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runtimeDir } from '../../daemon/shared/daemonPaths';
import { capStderr, openStderrFile } from '../../daemon/shared/stderrFile';
import { DomainError } from '../../daemon/errors/DomainError';

import { CLI } from '../helpers/daemonProcess';

describe('fault: the runtime folder and the files in it', () => {
  let tmp: string;
  let planted: string;
  const saved = process.env.FINETUNE_RUNTIME_DIR;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-rtd-'));
    planted = path.join(tmp, 'finetune-flywheel-x');
    process.env.FINETUNE_RUNTIME_DIR = planted;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.FINETUNE_RUNTIME_DIR;
    else process.env.FINETUNE_RUNTIME_DIR = saved;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const refused = (why: RegExp) =>
    assert.throws(() => runtimeDir(), (err: unknown) => err instanceof DomainError && err.kind === 'runtime-dir-unsafe' && err.message.includes(planted) && why.test(err.message));

  it('creates a missing folder 0700 and uses it', () => {
    assert.equal(runtimeDir(), planted);
    assert.equal(fs.statSync(planted).mode & 0o777, 0o700);
  });

  it("refuses a folder another user planted, and leaves its owner and mode alone", function () {
    if (process.getuid?.() !== 0) this.skip(); // only root can give a folder to another user here
    fs.mkdirSync(planted, { mode: 0o777 });
    fs.chmodSync(planted, 0o777);
    fs.chownSync(planted, 65534, 65534);
    refused(/belongs to user id 65534/);
    const st = fs.statSync(planted);
    assert.equal(st.uid, 65534);
    assert.equal(st.mode & 0o777, 0o777);
    // The CLI says so instead of talking to whatever socket is in there.
    const r = spawnSync(process.execPath, [CLI, 'status', '--workspace', tmp], { env: { ...process.env }, encoding: 'utf8', timeout: 60_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /runtime folder .*finetune-flywheel-x belongs to user id 65534/);
  });

  it('refuses a folder of ours that others can enter, and a link to a private folder', () => {
    fs.mkdirSync(planted);
    fs.chmodSync(planted, 0o755);
    refused(/has mode 0755/);
    assert.equal(fs.statSync(planted).mode & 0o777, 0o755);
    fs.rmdirSync(planted);
    const elsewhere = fs.mkdtempSync(path.join(tmp, 'private-'));
    fs.symlinkSync(elsewhere, planted);
    refused(/is a symbolic link/);
  });

  it('a planted <key>.stderr link is moved aside, never written through', () => {
    const victim = path.join(tmp, 'victim.txt');
    fs.writeFileSync(victim, 'keep me\n');
    const file = path.join(runtimeDir(), 'abc.stderr');
    fs.symlinkSync(victim, file);
    const fd = openStderrFile(file);
    fs.writeSync(fd, 'daemon output\n');
    fs.closeSync(fd);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me\n');
    assert.equal(fs.lstatSync(file).isSymbolicLink(), false);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.lstatSync(`${file}.1`).isSymbolicLink(), true);
  });

  it("a detached daemon's stderr file stops growing past its cap", async () => {
    const file = path.join(runtimeDir(), 'abc.stderr');
    const fd = openStderrFile(file);
    const stop = capStderr(4096, 20, fd);
    try {
      for (let i = 0; i < 50; i++) {
        fs.writeSync(fd, 'x'.repeat(1000) + '\n');
        await new Promise((r) => setTimeout(r, 5));
      }
      await new Promise((r) => setTimeout(r, 60));
      assert.ok(fs.statSync(file).size <= 4096 + 2000, `size ${fs.statSync(file).size}`);
      assert.match(fs.readFileSync(file, 'utf8'), /stderr emptied at \d+ bytes; the cap is 4096/);
    } finally {
      stop();
      fs.closeSync(fd);
    }
  });
});
