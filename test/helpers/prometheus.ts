// A real Prometheus (Debian's package) on loopback, scraping one target, for tests that check
// what a monitoring setup would actually see.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export function prometheusAvailable(): boolean {
  return !spawnSync('prometheus', ['--version']).error;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(target: string): Promise<{ query(q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-prom-'));
  const port = await freePort();
  fs.writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: finetune-flywheel\n    static_configs:\n      - targets: ["${target}"]\n`,
  );
  const proc: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  const base = `http://127.0.0.1:${port}`;
  const query = async (q: string) => {
    const r = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data.result;
  };
  return {
    query,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls a query until it returns a result (Prometheus scrapes every second here), or fails after the timeout. */
export async function waitForSeries(query: (q: string) => Promise<unknown[]>, q: string, timeoutMs = 60_000): Promise<unknown[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await query(q);
      if (r.length) return r;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`Prometheus returned nothing for ${q} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
