// Runs docker/finetune.py in a container of the trainer image: one container per run, named
// `finetune-<runId>` and labelled with the run and the workspace, so Docker itself is the record of
// what runs — a retried start adopts (409), and reconcile() after a daemon restart re-attaches what
// still runs and collects what ended. This folder is the only code that imports dockerode.
import Docker from 'dockerode';
import { reserveHostGpu } from '../hostGpuLock';
import type { EngineRecord, ReconciledRun, Reservation, ReserveWait, RunHandle, RunListener, Runner, RunSpec } from '../types';
import { RunnerError } from '../types';
import {
  containerName,
  containerUser,
  createOptions,
  LABEL_GPU,
  LABEL_RUN_ID,
  LABEL_WORKSPACE,
  prepareOutputDir,
  validateSpec,
} from './containerConfig';
import { DockerRun, type DockerRunOptions } from './DockerRun';
import { engineMessage, isNoGpuDriver, isNotFound, noGpuSupport, statusCodeOf, toRunnerError } from './engineErrors';
import { type GpuPlan, hasNvidiaRuntime, planGpus } from './gpus';
import { buildImage, imageState, inspectImage } from './imageBuild';

export interface DockerRunnerOptions {
  /** Path of the engine's unix socket (a `unix://` prefix is accepted). Default: DOCKER_HOST, else /var/run/docker.sock. */
  socketPath?: string;
  /** The trainer image, e.g. fine-tuning:latest. */
  image: string;
  /** The Dockerfile's BASE_IMAGE build arg. */
  baseImage: string;
  /** Absolute path of docker/ (the build context). */
  dockerContext: string;
  onBuildProgress?: (line: string) => void;
  /** `docker stop -t` on cancel: time for the trainer to write its checkpoint. Default 30. */
  stopTimeoutS?: number;
  /** Stop a run that prints nothing for this long (reported as stalled). Default: off. */
  stallTimeoutMs?: number;
  /** Default 4096 (threads count as pids). */
  pidsLimit?: number;
  /** /dev/shm (finetuning.docker.shm_size). Default 2 GiB. */
  shmBytes?: number;
  /** The container's memory limit (finetuning.docker.memory) when the run's resources name none. */
  memoryBytes?: number;
  /** GPUs asked for but the engine cannot give them: fail (false, the default) or train on the CPU. */
  cpuFallback?: boolean;
  /** uid:gid for the trainer. Default: the daemon's own uid:gid, or 1000:1000 when it runs as root. */
  user?: string;
  /** NetworkMode. Default: `none` for offline runs (HF_HUB_OFFLINE=1), else the engine's default. */
  network?: string;
  /**
   * Check `docker info().Runtimes` for `nvidia` before asking for GPUs (default true). False sends
   * the GPU request anyway and lets the engine answer (for toolkits set up without the named runtime).
   */
  checkNvidiaRuntime?: boolean;
  /** How long a run keeps trying to reach a restarting engine. Default 120 s. */
  engineGraceMs?: number;
}

export interface EnsureImageResult {
  image: string;
  built: boolean;
  sourceHash: string;
}

const GiB = 1024 ** 3;
const ACTIVE_STATES = new Set(['running', 'paused', 'restarting']);

export class DockerRunner implements Runner {
  readonly name = 'docker' as const;
  private building: Promise<EnsureImageResult> | undefined;

  private constructor(
    private readonly docker: Docker,
    private readonly opts: DockerRunnerOptions,
  ) {}

  static async connect(opts: DockerRunnerOptions): Promise<DockerRunner> {
    const socketPath = opts.socketPath?.replace(/^unix:\/\//, '');
    // Without a socket path docker-modem reads DOCKER_HOST (unix:// or tcp://, with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH).
    return new DockerRunner(socketPath ? new Docker({ socketPath }) : new Docker(), opts);
  }

  /** Whether an engine answers /_ping (within 5 s). */
  async available(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 5000)));
      await Promise.race([this.docker.ping(), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Builds the trainer image from docker/ when it is missing (`rebuild: 'missing'`, the default),
   * or also when its flywheel.source-hash label differs from docker/'s content (`'stale'`).
   */
  ensureImage(rebuild: 'missing' | 'stale' = 'missing'): Promise<EnsureImageResult> {
    this.building ??= this.ensureImageOnce(rebuild).finally(() => (this.building = undefined));
    return this.building;
  }

  /** One GPU run at a time on this host, whichever runner or workspace. */
  reserve(spec: RunSpec, wait: ReserveWait): Promise<Reservation | undefined> {
    return reserveHostGpu(spec, wait);
  }

  async start(spec: RunSpec, listener: RunListener): Promise<RunHandle> {
    const limits = { memoryBytes: spec.resources.memoryBytes ?? this.opts.memoryBytes, shmBytes: this.opts.shmBytes ?? 2 * GiB };
    validateSpec(spec, limits);
    const image = await inspectImage(this.docker, this.opts.image);
    if (!image) {
      throw new RunnerError(`the trainer image ${this.opts.image} is not in this Docker engine`, 'image_missing', 'the daemon builds it from docker/ when it starts (or run scripts/docker-image.sh)');
    }
    const used: EngineRecord = { image: { name: this.opts.image, id: image.Id } };
    let plan = await this.planGpus(spec);
    if (plan.note) say(listener, plan.note);
    const user = containerUser(this.opts.user);
    try {
      prepareOutputDir(spec.outputDir, user);
    } catch (err) {
      say(listener, `[docker] could not hand ${spec.outputDir} to the container's user ${user}: ${(err as Error).message}`);
    }
    for (;;) {
      const options = createOptions(spec, {
        image: this.opts.image,
        deviceRequests: plan.deviceRequests,
        user,
        stopTimeoutS: this.stopTimeoutS,
        pidsLimit: this.opts.pidsLimit ?? 4096,
        ...limits,
        network: this.opts.network,
      });
      let container: Docker.Container;
      try {
        container = await this.docker.createContainer(options);
      } catch (err) {
        if (statusCodeOf(err) === 409) return this.adoptExisting(spec, listener);
        if (isNoGpuDriver(err) && plan.deviceRequests && this.opts.cpuFallback) {
          plan = this.cpuInstead(listener, err);
          continue;
        }
        throw this.startError(err, spec, 'creating the container');
      }
      try {
        return await DockerRun.launch(spec.runId, this.docker, container, listener, { ...this.runOptions, used });
      } catch (err) {
        await container.remove({ force: true, v: true }).catch(() => undefined);
        if (isNoGpuDriver(err) && plan.deviceRequests && this.opts.cpuFallback) {
          plan = this.cpuInstead(listener, err);
          continue;
        }
        throw this.startError(err, spec, 'starting the container');
      }
    }
  }

  async reconcile(workspace: string, listenerFor: (runId: string) => RunListener): Promise<ReconciledRun[]> {
    let found: Docker.ContainerInfo[];
    try {
      found = await this.docker.listContainers({ all: true, filters: { label: [`${LABEL_WORKSPACE}=${workspace}`] } });
    } catch (err) {
      throw toRunnerError(err, 'listing the runs of this workspace');
    }
    const out: ReconciledRun[] = [];
    for (const info of found) {
      const runId = info.Labels?.[LABEL_RUN_ID];
      if (!runId) continue;
      const container = this.docker.getContainer(info.Id);
      if (info.State === 'created') {
        // The daemon stopped between create and start: nothing ran. Free the name for a retry.
        await container.remove({ force: true, v: true }).catch(() => undefined);
        out.push({ runId, state: 'exited', exit: { status: 'failed', exitCode: null, error: { message: 'the run never started (the daemon stopped while starting it)', hint: 'start it again' } } });
        continue;
      }
      let handle: DockerRun;
      try {
        const used: EngineRecord = { image: { name: info.Image, id: info.ImageID } };
        handle = await DockerRun.adopt(runId, this.docker, container, listenerOrSilence(listenerFor, runId), { ...this.runOptions, used });
      } catch (err) {
        // E.g. a `dead` container whose log cannot be read: collect what can be known, free the name.
        const exitCode = await container.inspect().then((i) => i.State.ExitCode, () => null);
        await container.remove({ force: true, v: true }).catch(() => undefined);
        out.push({ runId, state: 'exited', exit: { status: 'failed', exitCode, error: { message: `the run's container could not be read (${engineMessage(err)})`, hint: 'start it again' } } });
        continue;
      }
      if (ACTIVE_STATES.has(info.State)) out.push({ runId, state: 'running', handle });
      else out.push({ runId, state: 'exited', exit: await handle.wait() });
    }
    return out;
  }

  /** Runs holding GPUs on this engine, from any workspace (one GPU run per host at a time). */
  async activeGpuRuns(): Promise<Array<{ runId: string; workspace: string }>> {
    const found = await this.docker.listContainers({ filters: { label: [`${LABEL_GPU}=1`], status: ['running', 'paused', 'restarting'] } });
    return found.map((c) => ({ runId: c.Labels[LABEL_RUN_ID] ?? '', workspace: c.Labels[LABEL_WORKSPACE] ?? '' }));
  }

  private async ensureImageOnce(rebuild: 'missing' | 'stale'): Promise<EnsureImageResult> {
    const { image, baseImage, dockerContext } = this.opts;
    const state = await imageState(this.docker, image, baseImage, dockerContext);
    if (state.present && (rebuild === 'missing' || state.label === state.wanted)) return { image, built: false, sourceHash: state.label ?? state.wanted };
    await buildImage(this.docker, { image, baseImage, dockerContext, hash: state.wanted }, (line) => this.opts.onBuildProgress?.(line));
    return { image, built: true, sourceHash: state.wanted };
  }

  private async planGpus(spec: RunSpec): Promise<GpuPlan> {
    const gpus = spec.resources.gpusPerNode;
    if (gpus === 'none' || gpus === 0) return {};
    let info: unknown;
    try {
      info = await this.docker.info();
    } catch (err) {
      throw toRunnerError(err, 'asking the engine about GPU support');
    }
    return planGpus(gpus, !!this.opts.cpuFallback, hasNvidiaRuntime(info), this.opts.checkNvidiaRuntime === false);
  }

  private cpuInstead(listener: RunListener, err: unknown): GpuPlan {
    say(listener, `[docker] the engine could not give the container GPUs (${engineMessage(err)}): training on the CPU (finetuning.docker.cpu_fallback: true)`);
    return {};
  }

  private startError(err: unknown, spec: RunSpec, doing: string): RunnerError {
    if (isNoGpuDriver(err)) return noGpuSupport(String(spec.resources.gpusPerNode), `the Docker engine cannot give containers GPUs: ${engineMessage(err)}`);
    return toRunnerError(err, `${doing} for run ${spec.runId}`);
  }

  /** A container with this run's name exists (a retried start): take it over instead of failing. */
  private async adoptExisting(spec: RunSpec, listener: RunListener): Promise<RunHandle> {
    const name = containerName(spec.runId);
    const container = this.docker.getContainer(name);
    let info: Docker.ContainerInspectInfo;
    try {
      info = await container.inspect();
    } catch (err) {
      if (isNotFound(err)) throw new RunnerError(`the container ${name} vanished while being created; start the run again`, 'conflict');
      throw toRunnerError(err, `looking at the existing container ${name}`);
    }
    const labels = info.Config.Labels ?? {};
    if (labels[LABEL_RUN_ID] !== spec.runId || labels[LABEL_WORKSPACE] !== spec.workspace) {
      throw new RunnerError(`a container named ${name} exists and does not belong to this run`, 'conflict', `remove it ("docker rm -f ${name}") or use another run id`);
    }
    const used: EngineRecord = { image: { name: info.Config.Image, id: info.Image } };
    if (info.State.Status === 'created') return DockerRun.launch(spec.runId, this.docker, container, listener, { ...this.runOptions, used });
    return DockerRun.adopt(spec.runId, this.docker, container, listener, { ...this.runOptions, used });
  }

  private get stopTimeoutS(): number {
    return this.opts.stopTimeoutS ?? 30;
  }

  private get runOptions(): DockerRunOptions {
    return { stopTimeoutS: this.stopTimeoutS, stallTimeoutMs: this.opts.stallTimeoutMs, engineGraceMs: this.opts.engineGraceMs ?? 120_000 };
  }
}

function say(listener: RunListener, line: string): void {
  try {
    listener.onLog(line, 'stderr');
  } catch {
    /* ignore */
  }
}

function listenerOrSilence(listenerFor: (runId: string) => RunListener, runId: string): RunListener {
  try {
    const l = listenerFor(runId);
    if (l) return l;
  } catch {
    /* a run the daemon does not know: still collected, quietly */
  }
  return { onEvent: () => undefined, onLog: () => undefined };
}
