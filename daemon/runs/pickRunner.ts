// finetuning.runner: the runner it names, or on `auto` the first of the registry's runners that
// can run here (docker when an engine answers, else local) — saying which and why.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { isUnavailable, RUNNER_FACTORIES, type RunnerContext } from './runners/registry';
import { RunnerError, type Runner } from './runners/types';

/** Where the trainer and its Python environment live: the nearest folder up with docker/finetune.py. */
export function projectRoot(): string {
  if (process.env.FINETUNE_PROJECT_ROOT) return process.env.FINETUNE_PROJECT_ROOT;
  // Bundled, this file is dist/cli.js; run from source, daemon/runs/pickRunner.ts.
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'docker', 'finetune.py'))) return dir;
  }
  return path.resolve(__dirname, '..');
}

export async function pickRunner(config: Config['finetuning'], stateDir: string, log: Logger): Promise<Runner> {
  const ctx: RunnerContext = { stateDir, projectRoot: projectRoot(), log: (event, line) => log.info(event, line) };
  if (config.runner !== 'auto') {
    const factory = RUNNER_FACTORIES.find((r) => r.name === config.runner);
    if (!factory) {
      throw new RunnerError(`no runner is named ${config.runner}`, 'invalid_spec', `set finetuning.runner to auto or one of ${RUNNER_FACTORIES.map((r) => r.name).join(', ')}`);
    }
    const opened = await factory.open(config, ctx);
    if (isUnavailable(opened)) throw new RunnerError(opened.unavailable, 'engine', opened.hint);
    return opened;
  }
  const passed: string[] = [];
  for (const factory of RUNNER_FACTORIES.filter((r) => r.auto)) {
    const opened = await factory.open(config, ctx);
    if (!isUnavailable(opened)) {
      if (passed.length) log.info('runner.auto', `${passed.join('; ')}; using the ${opened.name} runner`);
      return opened;
    }
    passed.push(opened.unavailable);
  }
  throw new RunnerError(`no runner can train here: ${passed.join('; ')}`, 'engine', 'set finetuning.runner in config/models.yml to a runner this machine has');
}
