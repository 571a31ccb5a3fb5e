// The container a run gets: deterministic name, labels, mounts, limits and hardening
// (shared/design/reliability.md, "Containers"). Pure: no engine calls.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type Dockerode from 'dockerode';
import { trainerCommandArgs } from '../trainerCommand';
import type { RunSpec } from '../types';
import { RunnerError } from '../types';

export const LABEL_RUN_ID = 'flywheel.run-id';
export const LABEL_WORKSPACE = 'flywheel.workspace';
export const LABEL_GPU = 'flywheel.gpu';
export const LABEL_OUTPUT = 'flywheel.output-dir';

export const CONTAINER_DATA = '/data';
export const CONTAINER_OUTPUT = '/models/out';
export const CONTAINER_HF_HOME = '/cache/hf';

/** uid:gid the container runs as when the daemon itself runs as root (the image's `trainer`). */
export const ROOT_HOST_CONTAINER_USER = '1000:1000';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HF_TRUE = new Set(['1', 'true', 'yes', 'on']);

export interface ContainerOptions {
  image: string;
  deviceRequests?: Dockerode.DeviceRequest[];
  /** `uid:gid`; see containerUser(). */
  user?: string;
  /** Seconds `docker stop` waits after SIGTERM before SIGKILL (the trainer checkpoints meanwhile). */
  stopTimeoutS: number;
  pidsLimit: number;
  /** /dev/shm: Docker's 64 MB breaks DataLoader workers and the processes' shared memory. */
  shmBytes: number;
  memoryBytes?: number;
  /** NetworkMode; default: `none` when the run is offline (HF_HUB_OFFLINE), else the engine's default. */
  network?: string;
}

export function containerName(runId: string): string {
  return `finetune-${runId}`;
}

/** Throws RunnerError('invalid_spec') for anything Docker would misread or the trainer could not use. */
export function validateSpec(spec: RunSpec, limits: { memoryBytes?: number; shmBytes?: number } = {}): void {
  const bad = (what: string) => new RunnerError(`cannot start run ${JSON.stringify(spec.runId)}: ${what}`, 'invalid_spec');
  if (!RUN_ID.test(spec.runId)) throw bad('the run id must be letters, digits, "_", "." or "-" (it names the container)');
  for (const [what, dir] of [['workspace', spec.workspace], ['dataDir', spec.dataDir], ['outputDir', spec.outputDir], ['modelCacheDir', spec.modelCacheDir]] as const) {
    if (dir === undefined) continue;
    if (!path.isAbsolute(dir)) throw bad(`${what} must be an absolute path, got ${dir}`);
    // "host:container:mode": a colon in a POSIX host path would be misread (Windows drive letters are fine).
    if (process.platform !== 'win32' && dir.includes(':')) throw bad(`${what} may not contain ":" (${dir})`);
    if (what !== 'workspace' && !isDir(dir)) throw bad(`${what} ${dir} is not a folder`);
  }
  const snapshot = path.resolve(spec.dataDir, spec.snapshotFile);
  if (path.relative(spec.dataDir, snapshot).startsWith('..') || !fs.existsSync(snapshot)) {
    throw bad(`the snapshot ${spec.snapshotFile} is not a file inside ${spec.dataDir}`);
  }
  for (const name of Object.keys(spec.env)) if (!ENV_NAME.test(name)) throw bad(`invalid environment variable name ${JSON.stringify(name)}`);
  if (limits.memoryBytes !== undefined && !(Number.isSafeInteger(limits.memoryBytes) && limits.memoryBytes > 0)) throw bad('memoryBytes must be a positive whole number');
  if (limits.shmBytes !== undefined && !(Number.isSafeInteger(limits.shmBytes) && limits.shmBytes > 0)) throw bad('shmBytes must be a positive whole number');
  trainerCommandArgs(spec); // one node only
}

/**
 * Who the trainer runs as. A non-root daemon runs it as its own uid:gid, so the model files are the
 * user's (the image keeps HOME and HF_HOME writable by any uid). A root daemon runs it as the
 * image's non-root `trainer` (uid 1000) and hands it the output folder (see prepareOutputDir).
 */
export function containerUser(override?: string): string {
  if (override) return override;
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid === undefined || gid === undefined || uid === 0) return ROOT_HOST_CONTAINER_USER;
  return `${uid}:${gid}`;
}

/** A root daemon gives the (empty, daemon-made) output folder to the container's user. */
export function prepareOutputDir(outputDir: string, user: string): void {
  if (process.getuid?.() !== 0) return;
  const [uid, gid] = user.split(':').map((n) => Number(n));
  if (!Number.isInteger(uid) || uid === 0) return;
  const st = fs.statSync(outputDir);
  if (st.uid !== uid) fs.chownSync(outputDir, uid, Number.isInteger(gid) ? gid : uid);
}

export function createOptions(spec: RunSpec, opts: ContainerOptions): Dockerode.ContainerCreateOptions {
  const offline = HF_TRUE.has((spec.env.HF_HUB_OFFLINE ?? '').toLowerCase());
  const binds = [`${spec.dataDir}:${CONTAINER_DATA}:ro`, `${spec.outputDir}:${CONTAINER_OUTPUT}:rw`];
  if (spec.modelCacheDir) binds.push(`${spec.modelCacheDir}:${CONTAINER_HF_HOME}:rw`);
  const network = opts.network ?? (offline ? 'none' : undefined);
  return {
    name: containerName(spec.runId),
    Image: opts.image,
    Cmd: ['python', 'finetune.py', ...trainerCommandArgs(spec)],
    Env: [
      'PYTHONUNBUFFERED=1',
      'TOKENIZERS_PARALLELISM=false',
      ...Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    ],
    Labels: {
      [LABEL_RUN_ID]: spec.runId,
      [LABEL_WORKSPACE]: spec.workspace,
      [LABEL_GPU]: opts.deviceRequests?.length ? '1' : '0',
      [LABEL_OUTPUT]: spec.outputDir,
    },
    ...(opts.user ? { User: opts.user } : {}),
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    StopSignal: 'SIGTERM',
    StopTimeout: opts.stopTimeoutS,
    HostConfig: {
      Init: true,
      AutoRemove: false,
      Binds: binds,
      ...(opts.memoryBytes ? { Memory: opts.memoryBytes, MemorySwap: opts.memoryBytes } : {}),
      ShmSize: opts.shmBytes,
      PidsLimit: opts.pidsLimit,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      ...(network ? { NetworkMode: network } : {}),
      ...(opts.deviceRequests?.length ? { DeviceRequests: opts.deviceRequests } : {}),
      LogConfig: { Type: 'json-file', Config: { 'max-size': '20m', 'max-file': '3' } },
      RestartPolicy: { Name: 'no' },
    },
  };
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
