// The runners finetuning.runner can name, and the order `auto` tries them in. A new runner adds
// its factory here (and its name to RUNNERS in daemon/config/schema.ts); nothing else changes.
import type { Config } from '../../config';
import { dockerRunnerFactory } from './docker/factory';
import { localRunnerFactory } from './local/factory';
import { rayRunnerFactory } from './ray/factory';
import type { Runner } from './types';

export interface RunnerContext {
  /** The daemon's state folder for this workspace (data/.flywheel): runners keep their files under it. */
  stateDir: string;
  /** The folder holding docker/finetune.py and the trainer's .venv. */
  projectRoot: string;
  log(event: string, line: string): void;
}

/** Why a runner cannot run here, and what to do about it. */
export interface Unavailable {
  unavailable: string;
  hint: string;
}

export interface RunnerFactory {
  readonly name: string;
  /** Tried by `auto` (in registry order) when true; otherwise used only when named. */
  readonly auto: boolean;
  open(f: Config['finetuning'], ctx: RunnerContext): Promise<Runner | Unavailable>;
}

export const RUNNER_FACTORIES: readonly RunnerFactory[] = [dockerRunnerFactory, localRunnerFactory, rayRunnerFactory];

export function isUnavailable(r: Runner | Unavailable): r is Unavailable {
  return 'unavailable' in r;
}
