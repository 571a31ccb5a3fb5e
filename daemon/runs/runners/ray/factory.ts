// finetuning.runner: ray — the only code that reads finetuning.ray.*.
import * as path from 'node:path';
import type { RunnerFactory } from '../registry';
import { RayRunner } from './RayRunner';

export const rayRunnerFactory: RunnerFactory = {
  name: 'ray',
  // Only when named: a cluster is something a user points the daemon at, never a guess.
  auto: false,
  async open(f, ctx) {
    const { address, storage } = f.ray;
    if (!address) {
      return { unavailable: 'finetuning.runner is ray, but finetuning.ray.address is not set', hint: 'set finetuning.ray.address in config/models.yml to the cluster\'s dashboard URL, e.g. http://head:8265' };
    }
    return new RayRunner({ address, storage, trainerDir: path.join(ctx.projectRoot, 'docker'), runsDir: path.join(ctx.stateDir, 'ray-runs') });
  },
};
