// Finding 4 of issue 10: one parser decides where a frame ends (a repeated or conflicting
// Content-Length closes the connection), unfinished messages of all clients together stay under
// a budget, and what a closed connection held is given back.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createInterface } from 'node:readline';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SocketServer } from '../../daemon/server/SocketServer';
import { Logger } from '../../daemon/log';
import { closedWithin, connectRaw, frame, helloBody, helloOnce } from './rawSocket';

const MB = 1024 * 1024;

describe('fault: framing and memory per client', function () {
  let dir: string;
  let socketPath: string;
  let server: SocketServer;
  let log: Logger;
  const open: net.Socket[] = [];

  async function start(limits: { maxBody?: number; maxBufferedTotal?: number } = {}): Promise<void> {
    server = new SocketServer(socketPath, [], () => ({ daemonVersion: 'test', workspace: dir, pid: process.pid, metrics: '' }), log, undefined, limits);
    await server.listen();
  }
  async function raw(): Promise<net.Socket> {
    const s = await connectRaw(socketPath);
    s.on('error', () => undefined);
    open.push(s);
    return s;
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-frame-'));
    socketPath = path.join(dir, 's.sock');
    log = new Logger({ file: path.join(dir, 'finetuning.log'), maxBytes: 1 << 20, keep: 0 });
  });
  afterEach(async () => {
    for (const s of open.splice(0)) s.destroy();
    await server?.close();
    server = undefined!;
    log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, headers] of [
    ['conflicting', ['Content-Length: 5', 'Content-Length: 1000000000']],
    ['repeated', ['Content-Length: 5', 'Content-Length: 5']],
    ['missing', ['Content-Type: application/json']],
  ] as const) {
    it(`a ${name} Content-Length closes that connection, and the daemon still answers`, async () => {
      await start();
      const s = await raw();
      s.write(frame('{"a":', [...headers]));
      // Frames that look valid on their own: a reader that took the other header keeps buffering them.
      for (let i = 0; i < 200; i++) s.write(frame('0123456789'));
      assert.equal(await closedWithin(s, 3000), true, 'the connection is closed');
      assert.ok((await helloOnce(socketPath)).result, 'a new client still gets its hello');
      assert.match(fs.readFileSync(path.join(dir, 'finetuning.log'), 'utf8'), /closing a client connection/);
    });
  }

  it('a valid frame with extra headers still works (the reader gets a canonical header)', async () => {
    await start();
    const s = await raw();
    const answer = new Promise<string>((resolve) => s.on('data', (d: Buffer) => resolve(d.toString('utf8'))));
    s.write(frame(helloBody(7), [`Content-Length: ${Buffer.byteLength(helloBody(7))}`, 'Content-Type: application/vscode-jsonrpc; charset=utf-8']));
    assert.match(await answer, /"id":7,"result":\{"protocolVersion"/);
  });

  it('12 clients holding 60 MB partial messages: the budget holds RSS down, and closing gives the memory back', async function () {
    const budget = 96 * MB;
    const child = spawn(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', path.join(__dirname, 'frameServerChild.ts'), socketPath, String(budget)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
    try {
      await next(); // ready
      const report = async (): Promise<{ rss: number; arrayBuffers: number; sessions: number; used: number }> => {
        const line = next();
        child.kill('SIGUSR1');
        return JSON.parse(await line);
      };
      const before = await report();
      const chunk = Buffer.alloc(MB, 0x20);
      for (let i = 0; i < 12; i++) {
        const s = await raw();
        s.write(frame('', [`Content-Length: ${62 * MB}`]));
        for (let sent = 0; sent < 60 * MB && !s.destroyed; sent += MB) await new Promise<void>((r) => s.write(chunk, () => r()));
      }
      await new Promise((r) => setTimeout(r, 500));
      const during = await report();
      assert.ok((await helloOnce(socketPath)).result, 'the daemon still answers a new client');
      for (const s of open.splice(0)) s.destroy();
      await new Promise((r) => setTimeout(r, 1000));
      const after = await report();
      const mb = (n: number) => Math.round(n / MB);
      console.log(`      RSS before ${mb(before.rss)} MB, during ${mb(during.rss)} MB (budget ${mb(budget)} MB, ${mb(during.used)} MB held), after ${mb(after.rss)} MB; buffers after ${mb(after.arrayBuffers)} MB`);
      assert.ok(during.used <= budget);
      assert.ok(during.rss - before.rss < budget + 150 * MB, `RSS grew ${mb(during.rss - before.rss)} MB with a ${mb(budget)} MB budget (ceiling: budget + 150 MB)`);
      assert.equal(after.sessions, 0);
      assert.equal(after.used, 0);
      assert.ok(after.arrayBuffers < 16 * MB, `${mb(after.arrayBuffers)} MB of buffers still held after every client left`);
      assert.ok(after.rss <= during.rss + 16 * MB, 'RSS does not grow after the clients left');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
