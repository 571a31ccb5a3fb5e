// The trainer's flags for a run on one host: what the lifecycle chose (spec.trainerArgs) and how
// many processes to start. More than one: finetune.py launches itself under torchrun, in the same
// container or venv, so a runner on one host needs nothing else for data-parallel training.
import { RunnerError, type RunSpec } from './types';

export function trainerCommandArgs(spec: RunSpec): string[] {
  const { nodes, processes, strategy } = spec.resources;
  if (nodes !== 1) throw new RunnerError(`this runner trains on one machine; the run asks for ${nodes} nodes`, 'invalid_spec', 'use a cluster runner for more than one node');
  return [...spec.trainerArgs, '--processes', String(processes), '--strategy', strategy];
}
