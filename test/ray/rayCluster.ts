// A real Ray cluster on this machine for the ray tier: a head node and one worker node, each a
// `ray start --block` in its own process group with 1 CPU, on ports of its own (so it never meets
// another cluster here), with its own temp folder. The dashboard listens on 127.0.0.1 only; the
// nodes are asked for 127.0.0.1 too, but Ray advertises the host's address for a multi-node
// cluster (services.resolve_ip_for_localhost). Stopping signals only those two process groups —
// never `ray stop`, which would stop every Ray on the machine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

/** The Ray venv's bin folder, or why Ray cannot be had here (the tier then skips, saying so). */
export function rayEnv(): { bin: string } | { skip: string } {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/ray-env.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 });
  if (r.status === 3) return { skip: 'Ray cannot be installed here (scripts/ray-env.sh exited 3; see its output above)' };
  if (r.status !== 0) throw new Error(`scripts/ray-env.sh failed (exit ${r.status ?? r.signal})`);
  return { bin: r.stdout.trim().split('\n').pop()! };
}

export interface RayNode {
  proc: ChildProcess;
  log: string;
}

export interface RayCluster {
  /** The job-submission URL (finetuning.ray.address). */
  address: string;
  head: RayNode;
  worker: RayNode;
  /** SIGKILLs the worker node's processes (its raylet, its workers, their trainers). */
  killWorker(): Promise<void>;
  /** SIGKILLs the head node's processes: the dashboard, the GCS, the job drivers. */
  killHead(): Promise<void>;
  /** Stops both nodes (SIGTERM, then SIGKILL after a grace) and removes the temp folder. */
  stop(): Promise<void>;
}

export async function startCluster(bin: string): Promise<RayCluster> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-ray-'));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, RAY_USAGE_STATS_ENABLED: '0', RAY_DEDUP_LOGS: '0' };
  const gcsPort = await freePort();
  const dashboardPort = await freePort();
  const nodePorts = async () => [
    '--node-ip-address', '127.0.0.1',
    '--num-cpus', '1', '--num-gpus', '0',
    '--object-store-memory', String(256 * 1024 * 1024),
    '--node-manager-port', String(await freePort()),
    '--object-manager-port', String(await freePort()),
    '--dashboard-agent-listen-port', String(await freePort()),
    '--dashboard-agent-grpc-port', String(await freePort()),
    '--metrics-export-port', String(await freePort()),
    '--runtime-env-agent-port', String(await freePort()),
    '--worker-port-list', (await Promise.all(Array.from({ length: 8 }, freePort))).join(','),
    '--temp-dir', path.join(tmp, 'ray'),
    '--disable-usage-stats', '--block',
  ];
  const nodes: RayNode[] = [];
  const start = (name: string, args: string[]): RayNode => {
    const log = path.join(tmp, `${name}.log`);
    const fd = fs.openSync(log, 'a');
    const proc = spawn(path.join(bin, 'ray'), ['start', ...args], { env, cwd: tmp, detached: true, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    const node = { proc, log };
    nodes.push(node);
    return node;
  };
  const killAll = (signal: NodeJS.Signals) => nodes.forEach((n) => signalGroup(n.proc, signal));
  // Whatever happens to mocha, the cluster does not outlive it.
  const onExit = () => killAll('SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    killAll('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const forget = () => {
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };

  const address = `http://127.0.0.1:${dashboardPort}`;
  try {
    const head = start('head', ['--head', '--port', String(gcsPort), '--include-dashboard', 'true', '--dashboard-host', '127.0.0.1', '--dashboard-port', String(dashboardPort), '--ray-client-server-port', String(await freePort()), ...(await nodePorts())]);
    await until(async () => (await fetchOk(`${address}/api/version`)) && (await aliveNodes(address)) >= 1, 120_000, 'the head node', head);
    const worker = start('worker', ['--address', `127.0.0.1:${gcsPort}`, ...(await nodePorts())]);
    await until(async () => (await aliveNodes(address)) >= 2, 120_000, 'the worker node', worker);
    return {
      address,
      head,
      worker,
      async killWorker() {
        signalGroup(worker.proc, 'SIGKILL');
        await until(async () => (await aliveNodes(address)) < 2, 120_000, 'the head to see the worker node gone', head);
      },
      async killHead() {
        signalGroup(head.proc, 'SIGKILL');
        while (await fetchOk(`${address}/api/version`)) await sleep(200);
      },
      async stop() {
        killAll('SIGTERM');
        const deadline = Date.now() + 8_000;
        while (nodes.some((n) => groupAlive(n.proc)) && Date.now() < deadline) await sleep(200);
        killAll('SIGKILL');
        forget();
        fs.rmSync(tmp, { recursive: true, force: true });
      },
    };
  } catch (err) {
    killAll('SIGKILL');
    forget();
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Alive nodes as the head's state API reports them. */
async function aliveNodes(address: string): Promise<number> {
  try {
    const res = await fetch(`${address}/api/v0/nodes?limit=100`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) return 0;
    const body = (await res.json()) as { data?: { result?: { result?: { state?: string }[] } } };
    return (body.data?.result?.result ?? []).filter((n) => n.state === 'ALIVE').length;
  } catch {
    return 0;
  }
}

async function fetchOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5_000) })).ok;
  } catch {
    return false;
  }
}

async function until(ok: () => Promise<boolean>, ms: number, what: string, node: RayNode): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (node.proc.exitCode !== null) throw new Error(`ray start for ${what} exited (${node.proc.exitCode}):\n${tail(node.log)}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${tail(node.log)}`);
    await sleep(500);
  }
}

function tail(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '';
}

const handedOut = new Set<number>();

/** A port free now and not handed out before in this process (the OS may offer one twice). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(p));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function signalGroup(proc: ChildProcess, signal: NodeJS.Signals): void {
  if (!proc.pid) return;
  try {
    process.kill(-proc.pid, signal);
  } catch {
    /* gone */
  }
}

function groupAlive(proc: ChildProcess): boolean {
  if (!proc.pid) return false;
  try {
    process.kill(-proc.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
