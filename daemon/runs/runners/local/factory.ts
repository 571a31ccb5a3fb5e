// finetuning.runner: local — the trainer as a process of the project's Python environment.
import * as path from 'node:path';
import type { RunnerFactory } from '../registry';
import { LocalRunner } from './LocalRunner';

export function localRunner(stateDir: string, projectRoot: string): LocalRunner {
  return new LocalRunner({
    python: process.env.FINETUNE_PYTHON ?? path.join(projectRoot, '.venv', 'bin', 'python'),
    trainerDir: path.join(projectRoot, 'docker'),
    runsDir: path.join(stateDir, 'local-runs'),
  });
}

export const localRunnerFactory: RunnerFactory = {
  name: 'local',
  auto: true,
  async open(_f, ctx) {
    const runner = localRunner(ctx.stateDir, ctx.projectRoot);
    // Opened all the same: its start() says what to install, as a run error the user sees.
    if (!runner.available()) ctx.log('runner.local', 'the local runner\'s Python environment is missing: run "bash scripts/python-env.sh"');
    return runner;
  },
};
