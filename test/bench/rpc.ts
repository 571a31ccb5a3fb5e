// Round trip of status/get over the daemon's socket: median and p99.
import { StatusGet } from '../../daemon/protocol';
import { startDaemonProcess } from '../helpers/daemonProcess';
import { makeWorkspace } from '../helpers/workspace';

export async function benchRpc(n = 2000): Promise<string> {
  const ws = makeWorkspace();
  const daemon = await startDaemonProcess(ws);
  const c = await daemon.connect();
  for (let i = 0; i < 100; i++) await c.request(StatusGet, {}); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await c.request(StatusGet, {});
    times.push(performance.now() - t);
  }
  c.close();
  await daemon.stop();
  ws.remove();
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return [`## RPC round trip (status/get, ${n} requests)`, `| median | p99 |`, `|---|---|`, `| ${q(0.5).toFixed(3)} ms | ${q(0.99).toFixed(3)} ms |`].join('\n');
}
