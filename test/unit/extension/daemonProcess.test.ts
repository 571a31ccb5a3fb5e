// Finding and starting a workspace's daemon, against a stand-in daemon program (a few lines of
// Node that listen on the socket the real daemon would use, or crash the way a bad start does).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DaemonStartError, daemonPid, isAlive, locate, spawnDaemon, tryConnect, waitForExit } from '../../../extension/daemon/daemonProcess';

const FAKE_DAEMON = `
const net = require('node:net');
const fs = require('node:fs');
const [, , cmd, flag, workspace] = process.argv;
if (cmd !== 'daemon' || flag !== '--workspace' || !fs.existsSync(workspace)) { console.error('bad args ' + process.argv.join(' ')); process.exit(2); }
if (process.env.FAKE_MODE === 'crash') { console.error('config/models.yml:3:5 finetuning.threshold: expected a positive integer'); process.exit(3); }
if (process.env.FAKE_MODE === 'silent') { setInterval(() => {}, 1000); return; }
fs.writeFileSync(process.env.FAKE_LOCK, String(process.pid));
net.createServer((s) => s.end('hello ' + process.env.ELECTRON_RUN_AS_NODE)).listen(process.env.FAKE_SOCKET);
process.on('SIGTERM', () => process.exit(0));
`;

describe('extension daemon process', function () {
  this.timeout(20_000);
  let tmp: string;
  let workspace: string;
  let cli: string;
  let runtimeBefore: string | undefined;
  const pids: number[] = [];

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-ext-daemon-'));
    workspace = path.join(tmp, 'ws');
    fs.mkdirSync(workspace);
    cli = path.join(tmp, 'cli.js');
    fs.writeFileSync(cli, FAKE_DAEMON);
    runtimeBefore = process.env.FINETUNE_RUNTIME_DIR;
    process.env.FINETUNE_RUNTIME_DIR = path.join(tmp, 'run');
  });

  afterEach(async () => {
    for (const pid of pids.splice(0)) {
      if (isAlive(pid)) process.kill(pid, 'SIGTERM');
      await waitForExit(pid, 5000);
    }
    if (runtimeBefore === undefined) delete process.env.FINETUNE_RUNTIME_DIR;
    else process.env.FINETUNE_RUNTIME_DIR = runtimeBefore;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function fakeEnv(mode: string): NodeJS.ProcessEnv {
    const where = locate(workspace);
    return { FAKE_MODE: mode, FAKE_SOCKET: where.socket, FAKE_LOCK: where.lock };
  }

  /** The rejection of a start that left its (silent) daemon running; that process is ours to stop. */
  function leftRunning(err: unknown): void {
    if (err instanceof DaemonStartError && err.pid) pids.push(err.pid);
  }

  function read(socket: net.Socket): Promise<string> {
    return new Promise((resolve) => {
      let text = '';
      socket.on('data', (d) => (text += d));
      socket.on('end', () => resolve(text));
    });
  }

  it('finds nothing where no daemon listens, and a stale socket file is no daemon either', async () => {
    const where = locate(workspace);
    assert.ok(where.socket.startsWith(process.env.FINETUNE_RUNTIME_DIR!), 'honours FINETUNE_RUNTIME_DIR');
    assert.equal(await tryConnect(where.socket), undefined);
    fs.writeFileSync(where.socket, '');
    assert.equal(await tryConnect(where.socket), undefined);
    assert.equal(daemonPid(workspace), undefined);
  });

  it('starts the daemon detached, as Node, and hands back a connection once it answers', async () => {
    const socket = await spawnDaemon({ workspace, cliPath: cli, env: fakeEnv('listen'), timeoutMs: 10_000 });
    const pid = daemonPid(workspace);
    assert.ok(pid, 'its pid is in the lock file');
    pids.push(pid);
    assert.equal(await read(socket), 'hello 1', 'spoke to it, with ELECTRON_RUN_AS_NODE set for VS Code\'s runtime');
    // A second window finds it running.
    const again = await tryConnect(locate(workspace).socket);
    assert.ok(again);
    again.destroy();
  });

  it('fails with the daemon\'s own message when it exits during start-up', async () => {
    await assert.rejects(spawnDaemon({ workspace, cliPath: cli, env: fakeEnv('crash'), timeoutMs: 10_000 }), /exited during start-up \(code 3\): config\/models\.yml:3:5 finetuning\.threshold/);
  });

  it('uses the daemon another window started meanwhile', async () => {
    // Another window's daemon listens; ours then exits (lock held), which is not an error.
    const where = locate(workspace);
    const other = net.createServer((s) => s.end('other')).listen(where.socket);
    await new Promise((r) => other.once('listening', r));
    try {
      const socket = await spawnDaemon({ workspace, cliPath: cli, env: fakeEnv('crash'), timeoutMs: 10_000 });
      assert.equal(await read(socket), 'other');
    } finally {
      other.close();
    }
  });

  it('gives up after the start timeout, and says so when the program is missing', async () => {
    const t0 = Date.now();
    await assert.rejects(
      spawnDaemon({ workspace, cliPath: cli, env: fakeEnv('silent'), timeoutMs: 700 }).catch((e) => {
        leftRunning(e);
        throw e;
      }),
      /did not answer within 1s/,
    );
    assert.ok(Date.now() - t0 < 5000);
    await assert.rejects(spawnDaemon({ workspace, cliPath: path.join(tmp, 'nope.js') }), /the daemon program is missing/);
  });

  it('stops waiting when aborted', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    await assert.rejects(
      spawnDaemon({ workspace, cliPath: cli, env: fakeEnv('silent'), timeoutMs: 10_000, signal: abort.signal }).catch((e) => {
        leftRunning(e);
        throw e;
      }),
      /stopped waiting/,
    );
  });
});
