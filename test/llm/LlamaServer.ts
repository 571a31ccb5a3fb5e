// A real llama.cpp server process (`python -m llama_cpp.server`, llama-cpp-python) serving the tiny
// GGUF on 127.0.0.1: started, waited for (its /v1/models answers), killed and restarted by tests.
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

export const MODEL_ALIAS = 'tiny-random-llama';

export interface LlamaServerOptions {
  python: string;
  model: string;
  /** Default: a free port. A restarted server takes its old port again. */
  port?: number;
  startTimeoutMs?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export class LlamaServer {
  private proc?: ChildProcess;
  private exited?: Promise<void>;
  private output = '';

  private constructor(
    private readonly o: LlamaServerOptions,
    readonly port: number,
  ) {}

  static async start(o: LlamaServerOptions): Promise<LlamaServer> {
    const server = new LlamaServer(o, o.port ?? (await freePort()));
    await server.spawnAndWait();
    return server;
  }

  /** The OpenAI-compatible API root, as a user writes it in judge.openai.base_url. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** The server's own output so far (for failure messages). */
  log(): string {
    return this.output;
  }

  private async spawnAndWait(): Promise<void> {
    const args = ['-m', 'llama_cpp.server', '--model', this.o.model, '--model_alias', MODEL_ALIAS];
    args.push('--host', '127.0.0.1', '--port', String(this.port));
    // One thread each: the machine's two cores are shared, and a 64-wide model gains nothing from more.
    args.push('--n_ctx', '8192', '--n_threads', '1', '--n_threads_batch', '1', '--verbose', 'false');
    const proc = spawn(this.o.python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    this.output = '';
    proc.stdout!.on('data', (d) => (this.output += d));
    proc.stderr!.on('data', (d) => (this.output += d));
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    liveServers.add(proc);
    void this.exited.then(() => liveServers.delete(proc));

    const deadline = Date.now() + (this.o.startTimeoutMs ?? 60_000);
    for (;;) {
      if (!this.running) throw new Error(`llama_cpp.server exited during start-up (exit ${proc.exitCode ?? proc.signalCode}):\n${this.output.slice(-3000)}`);
      try {
        const res = await fetch(`${this.baseUrl}/models`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`llama_cpp.server did not answer on ${this.baseUrl} within ${this.o.startTimeoutMs ?? 60_000} ms:\n${this.output.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL, as a crash or an OOM kill would: no goodbye to open connections. */
  async kill(): Promise<void> {
    if (this.running) this.proc!.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.running) this.proc!.kill('SIGTERM');
    await this.exited;
  }

  /** A new process on the same port, as a supervisor would bring it back. */
  async restart(): Promise<void> {
    await this.kill();
    await this.spawnAndWait();
  }
}

// A test that fails half-way must not leave servers behind.
const liveServers = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of liveServers) p.kill('SIGKILL');
});
