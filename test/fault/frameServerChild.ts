// The daemon's SocketServer alone in its own process (no judge, no store), so a test can read
// that process's memory while clients hold partial messages. argv: socket path, budget in bytes.
// SIGUSR1 prints one JSON line: rss, arrayBuffers, sessions, budget bytes in use. Run with
// --expose-gc it collects every 200 ms, so "released" is measurable, not left to GC timing.
import * as path from 'node:path';
import { SocketServer } from '../../daemon/server/SocketServer';
import { Logger } from '../../daemon/log';

const [socketPath, budget] = process.argv.slice(2);
const log = new Logger({ file: path.join(path.dirname(socketPath), 'finetuning.log'), maxBytes: 1 << 20, keep: 0 });
const server = new SocketServer(socketPath, [], () => ({ daemonVersion: 'test', workspace: path.dirname(socketPath), pid: process.pid, metrics: '' }), log, undefined, { maxBufferedTotal: Number(budget) });
void server.listen().then(() => process.stdout.write('ready\n'));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
process.on('SIGUSR1', () => {
  const { rss, arrayBuffers } = process.memoryUsage();
  const used = (server as unknown as { budget: { used: number } }).budget.used;
  process.stdout.write(`${JSON.stringify({ rss, arrayBuffers, sessions: server.clientCount, used })}\n`);
});
const gc = (globalThis as { gc?: () => void }).gc;
if (gc) setInterval(gc, 200).unref();
