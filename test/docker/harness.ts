// The docker tier's setup: a private Docker engine (scripts/docker-engine.sh), the base image made
// with debootstrap (scripts/docker-base-image.sh) and the trainer image built from docker/
// (scripts/docker-image.sh). Minutes the first time on a fresh machine, seconds after that.
//
// Environment: FLYWHEEL_DOCKER_HOST=unix:///path.sock uses an engine that is already running (it
// must hold or be able to build the images); FLYWHEEL_DOCKER_DIR (default /var/tmp/flywheel-docker)
// is where the private engine lives; FLYWHEEL_KEEP_DOCKER=1 leaves the engine running afterwards.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { DockerRunner, type DockerRunnerOptions } from '../../daemon/runs/runners/docker';
import type { Resources, RunListener, RunSpec, TrainerEvent } from '../../daemon/runs/runners/types';

export const ROOT = path.resolve(__dirname, '../..');
export const IMAGE = 'fine-tuning:latest';
export const BASE_IMAGE = 'flywheel-base:bookworm';
export const DOCKER_CONTEXT = path.join(ROOT, 'docker');
const ENGINE_DIR = process.env.FLYWHEEL_DOCKER_DIR ?? '/var/tmp/flywheel-docker';

export interface Tier {
  socketPath: string;
  dockerHost: string;
  docker: Docker;
}

let tier: Promise<Tier> | undefined;
let startedEngine = false;

/** Starts (or reuses) the engine and builds what is missing; once per mocha process. */
export function dockerTier(): Promise<Tier> {
  tier ??= setUp();
  return tier;
}

// Registered once on the root suite (this module is loaded once per mocha process).
after(async function () {
  this.timeout(120_000);
  if (startedEngine && process.env.FLYWHEEL_KEEP_DOCKER !== '1') await sh(['bash', 'scripts/docker-engine.sh', 'stop', ENGINE_DIR]);
});

async function setUp(): Promise<Tier> {
  const t0 = Date.now();
  let dockerHost = process.env.FLYWHEEL_DOCKER_HOST;
  if (!dockerHost) {
    const up = (await sh(['bash', 'scripts/docker-engine.sh', 'status', ENGINE_DIR], {}, true)).code === 0;
    const { stdout } = await sh(['bash', 'scripts/docker-engine.sh', 'start', ENGINE_DIR]);
    startedEngine = !up;
    dockerHost = stdout.trim().split('\n').pop()!.replace(/^DOCKER_HOST=/, '');
  }
  await sh(['bash', 'scripts/docker-image.sh'], { DOCKER_HOST: dockerHost });
  process.stderr.write(`      [docker tier] engine and images ready in ${((Date.now() - t0) / 1000).toFixed(1)}s (${dockerHost})\n`);
  const socketPath = dockerHost.replace(/^unix:\/\//, '');
  return { socketPath, dockerHost, docker: new Docker({ socketPath }) };
}

/** Runs a command in the repo root; its stderr (progress lines) goes to ours. Rejects on failure unless `allowFail`. */
export function sh(argv: string[], env: Record<string, string> = {}, allowFail = false): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d.toString().replace(/^(?=.)/gm, '      ')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 || allowFail) resolve({ code: code ?? -1, stdout });
      else reject(new Error(`${argv.join(' ')} exited with ${code}\n${stdout}`));
    });
  });
}

/** shm as finetuning.docker.shm_size would set it; memory comes with each run's resources. */
export const SHM_BYTES = 256 * 1024 ** 2;

export async function runner(t: Tier, extra: Partial<DockerRunnerOptions> = {}): Promise<DockerRunner> {
  return DockerRunner.connect({ socketPath: t.socketPath, image: IMAGE, baseImage: BASE_IMAGE, dockerContext: DOCKER_CONTEXT, shmBytes: SHM_BYTES, ...extra });
}

const SCRATCH = path.join(os.tmpdir(), 'flywheel-docker-tests');

/** A workspace with data/snapshot.jsonl (n {"input","output"} lines) and an empty output folder. */
export function workspace(n = 30): { dir: string; dataDir: string; outputDir: string; snapshotFile: string } {
  fs.mkdirSync(SCRATCH, { recursive: true });
  const dir = fs.mkdtempSync(path.join(SCRATCH, 'ws-'));
  // mkdtemp makes 0700; the container's non-root user must reach data/ and models/out.
  fs.chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'data');
  const outputDir = path.join(dir, 'models', 'out');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(outputDir, { recursive: true });
  const topics = ['budget', 'hiring', 'roadmap', 'security review', 'office move', 'release'];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const topic = topics[i % topics.length];
    lines.push(
      JSON.stringify({
        input: `Meeting ${i}: the team discussed the ${topic}. Alice presented the numbers for quarter ${1 + (i % 4)}, Bob raised two concerns, and everyone agreed to revisit it next week.`,
        output: `The team discussed the ${topic} and agreed to revisit it next week.`,
      }),
    );
  }
  fs.writeFileSync(path.join(dataDir, 'snapshot.jsonl'), lines.join('\n') + '\n');
  return { dir, dataDir, outputDir, snapshotFile: 'snapshot.jsonl' };
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function trainerArgs(maxSteps: number, extra: string[] = []): string[] {
  return ['--task', 'summarization', '--base-model', 'tiny-random-mistral', '--dataset', '/data/snapshot.jsonl', '--output-dir', '/models/out', '--max-steps', String(maxSteps), ...extra];
}

let runCounter = 0;
/** A run of the tiny model on one process without GPUs; `resources` given are merged over those. */
export function runSpec(ws: ReturnType<typeof workspace>, over: Partial<Omit<RunSpec, 'resources'>> & { resources?: Partial<Resources> } = {}): RunSpec {
  const { resources, ...rest } = over;
  return {
    runId: `t${process.pid}-${Date.now().toString(36)}-${runCounter++}`,
    workspace: ws.dir,
    dataDir: ws.dataDir,
    snapshotFile: ws.snapshotFile,
    outputDir: ws.outputDir,
    trainerArgs: trainerArgs(5),
    env: { HF_HUB_OFFLINE: '1', HF_DATASETS_OFFLINE: '1' },
    ...rest,
    resources: { gpusPerNode: 'none', nodes: 1, processes: 1, strategy: 'ddp', memoryBytes: 4 * 1024 ** 3, ...resources },
  };
}

/** A listener that records everything; `until(event)` resolves when that event arrives. */
export class Recorder implements RunListener {
  readonly events: TrainerEvent[] = [];
  readonly logs: Array<{ line: string; stream: 'stdout' | 'stderr' }> = [];
  private waiters: Array<{ event: string; resolve: (e: TrainerEvent) => void }> = [];

  onEvent(e: TrainerEvent): void {
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (w.event === e.event ? (w.resolve(e), false) : true));
  }

  onLog(line: string, stream: 'stdout' | 'stderr'): void {
    this.logs.push({ line, stream });
  }

  names(): string[] {
    return this.events.map((e) => e.event);
  }

  until(event: string, timeoutMs = 120_000): Promise<TrainerEvent> {
    const seen = this.events.find((e) => e.event === event);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "${event}" event within ${timeoutMs} ms; saw ${this.names().join(', ')}\n${this.stderr().slice(-20).join('\n')}`)), timeoutMs);
      this.waiters.push({ event, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  stderr(): string[] {
    return this.logs.filter((l) => l.stream === 'stderr').map((l) => l.line);
  }
}

/** Containers of a workspace (by label), any state. */
export async function containersOf(t: Tier, workspaceDir: string): Promise<Docker.ContainerInfo[]> {
  return t.docker.listContainers({ all: true, filters: { label: [`flywheel.workspace=${workspaceDir}`] } });
}
