// The contract between the run lifecycle and the engines a trainer can run on (a Docker
// container, a local Python process, ...). All speak the same trainer: docker/finetune.py.
// See README.md here for how to add one.

import type { TrainerEvent } from './trainerEvents';

export type { TrainerEvent } from './trainerEvents';

/** What a run asks of the machines it trains on, whatever the engine. */
export interface Resources {
  /** GPUs on each node: what the engine has ('auto', 'all'), none, or a count. */
  gpusPerNode: 'auto' | 'all' | 'none' | number;
  /** Machines the run spans (1 for a runner that trains on one host). */
  nodes: number;
  /** Data-parallel trainer processes on each node: 'auto' (one per GPU, else 1) or a count. */
  processes: 'auto' | number;
  /** How the processes share the model: a full copy each (ddp) or sharded (fsdp, zero3). */
  strategy: 'ddp' | 'fsdp' | 'zero3';
  /** Host memory the run may use, when the engine can hold it to that; else the runner's own default. */
  memoryBytes?: number;
}

/** What to train and on what: each runner maps it to its engine. */
export interface RunSpec {
  runId: string;
  /** Absolute workspace path. */
  workspace: string;
  /** Absolute host folder holding the snapshot (the trainer sees it as /data, read-only). */
  dataDir: string;
  /** Path of the snapshot relative to dataDir. */
  snapshotFile: string;
  /** Absolute host folder (empty) where the trainer writes the model (/models/out to the trainer). */
  outputDir: string;
  /** Flags for `python finetune.py`, with the trainer's paths (/data/..., /models/out). */
  trainerArgs: string[];
  /** e.g. HF_TOKEN passthrough, HF_HUB_OFFLINE. */
  env: Record<string, string>;
  resources: Resources;
  /**
   * Optional: absolute host folder holding a Hugging Face cache, so a base model is downloaded
   * once, not once per run (the docker runner mounts it; the local runner can pass it as HF_HOME).
   */
  modelCacheDir?: string;
}

/**
 * What a runner used for a run, recorded in the landed version's metadata.json: always the number
 * of trainer processes; and what the engine knows (an image and its digest, a cluster, a job id).
 */
export interface EngineRecord {
  processes?: number;
  nodes?: number;
  [detail: string]: unknown;
}

/** What the lifecycle says and asks while a runner waits to reserve something for a run. */
export interface ReserveWait {
  say(line: string): void;
  /** True once the run was cancelled or taken off the queue: stop waiting. */
  calledOff(): boolean;
}

export interface Reservation {
  release(): void;
}

export interface RunListener {
  onEvent(e: TrainerEvent): void;
  onLog(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface RunExit {
  status: 'succeeded' | 'failed' | 'cancelled';
  exitCode: number | null;
  error?: { message: string; hint?: string };
  used?: EngineRecord;
}

export interface RunHandle {
  readonly id: string;
  wait(): Promise<RunExit>;
  cancel(): Promise<void>;
}

export interface ReconciledRun {
  runId: string;
  state: 'running' | 'exited';
  /** Re-attached when still running. */
  handle?: RunHandle;
  exit?: RunExit;
}

export interface Runner {
  /** As finetuning.runner names it; recorded in the version's metadata. */
  readonly name: string;
  /**
   * Optional: wait, while the run is still queued, for what the runner must hold before it starts
   * (the host GPU lock for runners that train on this host). Undefined when the wait was called off.
   */
  reserve?(spec: RunSpec, wait: ReserveWait): Promise<Reservation | undefined>;
  start(spec: RunSpec, listener: RunListener): Promise<RunHandle>;
  /** After a daemon restart: re-attach to this workspace's runs still going, and say how the others ended. */
  reconcile(workspace: string, listenerFor: (runId: string) => RunListener): Promise<ReconciledRun[]>;
  /** Forget a run whose end the daemon has recorded (its process files, its container). */
  collect?(runId: string): void;
}

/**
 * What Runner.start() throws when a run cannot start: a reason, what to do next, and a stable kind
 * ('no_gpu_support', 'engine', 'image_missing', 'invalid_spec', 'conflict') to match on.
 */
export class RunnerError extends Error {
  constructor(
    message: string,
    readonly kind: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'RunnerError';
  }
}

/** The trainer's exit codes (docker/flywheel_trainer/errors.py). */
export const TRAINER_EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 3 } as const;
