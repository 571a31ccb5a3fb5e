// What the Docker engine's errors mean to a user. dockerode rejects with an Error carrying the
// HTTP `statusCode` and the engine's `json.message`; a dead socket gives a Node `code` instead.
import { RunnerError } from '../types';

export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own words when it sent any, else the error's message. */
export function engineMessage(err: unknown): string {
  const json = (err as { json?: unknown } | null)?.json;
  if (json && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message.trim();
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  return err instanceof Error ? err.message : String(err);
}

export function isNotFound(err: unknown): boolean {
  return statusCodeOf(err) === 404;
}

/** HTTP 500 `could not select device driver "nvidia" with capabilities: [[gpu]]` (no NVIDIA toolkit). */
export function isNoGpuDriver(err: unknown): boolean {
  return /could not select device driver/i.test(engineMessage(err));
}

export const GPU_TOOLKIT_HINT =
  'install the NVIDIA Container Toolkit on the Docker host (https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/) ' +
  'and restart Docker; or set finetuning.gpus: none, or finetuning.docker.cpu_fallback: true to train on the CPU';

export function noGpuSupport(requested: string, detail: string): RunnerError {
  return new RunnerError(`GPUs were requested (finetuning.gpus: ${requested}) but ${detail}`, 'no_gpu_support', GPU_TOOLKIT_HINT);
}

/** Socket-level failures: the engine is not there (or not ours to use). */
export function isEngineUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'EACCES' || code === 'ECONNRESET' || code === 'EPIPE';
}

/** Any engine failure as a RunnerError the run lifecycle can show. */
export function toRunnerError(err: unknown, doing: string): RunnerError {
  if (err instanceof RunnerError) return err;
  if (isEngineUnreachable(err)) {
    const code = (err as { code: string }).code;
    return new RunnerError(
      `the Docker engine could not be reached while ${doing} (${code})`,
      'engine',
      code === 'EACCES'
        ? 'this user may not use the Docker socket: add it to the "docker" group, or set DOCKER_HOST'
        : 'start Docker (or set DOCKER_HOST), or set finetuning.runner: local in config/models.yml',
    );
  }
  if (isNoGpuDriver(err)) return noGpuSupport('all', `the Docker engine has no GPU driver: ${engineMessage(err)}`);
  const status = statusCodeOf(err);
  return new RunnerError(`Docker failed while ${doing}: ${engineMessage(err)}${status ? ` (HTTP ${status})` : ''}`, 'engine');
}
