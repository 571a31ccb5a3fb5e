// finetuning.runner: docker — the trainer image in a Docker engine (DOCKER_HOST honoured). The
// finetuning.docker.* keys are read here and nowhere else.
import * as path from 'node:path';
import { parseByteSize } from '../../../config';
import type { RunnerFactory } from '../registry';

export const dockerRunnerFactory: RunnerFactory = {
  name: 'docker',
  auto: true,
  async open(f, ctx) {
    const { DockerRunner } = await import('./DockerRunner');
    const docker = await DockerRunner.connect({
      image: f.docker.image,
      baseImage: f.docker.base_image,
      dockerContext: path.join(ctx.projectRoot, 'docker'),
      memoryBytes: parseByteSize(f.docker.memory),
      shmBytes: parseByteSize(f.docker.shm_size),
      cpuFallback: f.docker.cpu_fallback,
      onBuildProgress: (line: string) => ctx.log('docker.build', line),
    });
    if (!(await docker.available())) {
      const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
      return { unavailable: `no Docker engine answers at ${where}`, hint: 'start Docker (or set DOCKER_HOST), or set finetuning.runner: local in config/models.yml' };
    }
    // 'stale': rebuild when docker/ changed since the image was built.
    await docker.ensureImage('stale');
    return docker;
  },
};
