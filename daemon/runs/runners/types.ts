// The contract between the run orchestration and the places a trainer can run (a Docker
// container, or a local Python process). Both speak the same trainer: docker/finetune.py.

import type { TrainerEvent } from './trainerEvents';

export type { TrainerEvent } from './trainerEvents';

export interface RunSpec {
  runId: string;
  /** Absolute workspace path. */
  workspace: string;
  /** Absolute host folder mounted read-only at /data (holds the snapshot). */
  dataDir: string;
  /** Path of the snapshot relative to dataDir. */
  snapshotFile: string;
  /** Absolute host folder (empty) mounted read-write at /models/out; the trainer writes the model here. */
  outputDir: string;
  /** Flags for `python finetune.py`, with container paths (/data/..., /models/out). */
  trainerArgs: string[];
  /** e.g. HF_TOKEN passthrough, HF_HUB_OFFLINE. */
  env: Record<string, string>;
  gpus: 'auto' | 'all' | 'none' | number;
  cpuFallback: boolean;
  memoryBytes?: number;
  shmBytes?: number;
  /**
   * Optional (docker runner): absolute host folder holding a Hugging Face cache, mounted
   * read-write at /cache/hf (the image's HF_HOME), so a base model is downloaded once, not once per
   * run into a container that is removed afterwards. The local runner can pass it as HF_HOME.
   */
  modelCacheDir?: string;
}

export interface RunListener {
  onEvent(e: TrainerEvent): void;
  onLog(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface RunExit {
  status: 'succeeded' | 'failed' | 'cancelled';
  exitCode: number | null;
  error?: { message: string; hint?: string };
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
  readonly name: 'docker' | 'local';
  start(spec: RunSpec, listener: RunListener): Promise<RunHandle>;
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
