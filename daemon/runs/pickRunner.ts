// finetuning.runner: docker when asked, local when asked, and on auto docker when an engine
// answers (DOCKER_HOST honoured), else local — saying which and why.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { LocalRunner } from './runners/local/LocalRunner';
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

export function localRunner(stateDir: string): LocalRunner {
  const root = projectRoot();
  return new LocalRunner({
    python: process.env.FINETUNE_PYTHON ?? path.join(root, '.venv', 'bin', 'python'),
    trainerDir: path.join(root, 'docker'),
    runsDir: path.join(stateDir, 'local-runs'),
  });
}

export async function pickRunner(config: Config['finetuning'], stateDir: string, log: Logger): Promise<Runner> {
  const choice = config.runner;
  if (choice === 'local') return localRunner(stateDir);
  const { DockerRunner } = await import('./runners/docker/DockerRunner');
  const docker = await DockerRunner.connect({
    image: config.docker.image,
    baseImage: config.docker.base_image,
    dockerContext: path.join(projectRoot(), 'docker'),
    onBuildProgress: (line: string) => log.info('docker.build', line),
  });
  if (await docker.available()) {
    // 'stale': rebuild when docker/ changed since the image was built.
    await docker.ensureImage('stale');
    return docker;
  }
  const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (choice === 'docker') {
    throw new RunnerError(`no Docker engine answers at ${where}`, 'engine', 'start Docker (or set DOCKER_HOST), or set finetuning.runner: local in config/models.yml');
  }
  const local = localRunner(stateDir);
  log.info('runner.auto', `no Docker engine answers at ${where}; using the local runner${local.available() ? '' : ' (its Python environment is missing: run "bash scripts/python-env.sh")'}`);
  return local;
}
