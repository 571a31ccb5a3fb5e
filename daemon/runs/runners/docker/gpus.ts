// Which GPUs a run asks Docker for. Docker hands GPUs over with HostConfig.DeviceRequests (never
// --privileged); that needs the NVIDIA Container Toolkit, which registers the `nvidia` runtime.
import type Dockerode from 'dockerode';
import type { RunSpec } from '../types';
import { RunnerError } from '../types';
import { noGpuSupport } from './engineErrors';

export interface GpuPlan {
  deviceRequests?: Dockerode.DeviceRequest[];
  /** Said to the run's log (stderr) when the plan differs from what was asked. */
  note?: string;
}

/**
 * @param hasNvidia whether `docker info().Runtimes` lists `nvidia`
 * @param trustEngine send the request even without that runtime and let the engine decide (a
 *   toolkit can register the driver without the named runtime); its refusal is mapped later
 */
export function planGpus(gpus: RunSpec['resources']['gpusPerNode'], cpuFallback: boolean, hasNvidia: boolean, trustEngine = false): GpuPlan {
  if (gpus === 'none' || gpus === 0) return {};
  if (typeof gpus === 'number' && (!Number.isInteger(gpus) || gpus < 0)) {
    throw new RunnerError(`finetuning.gpus must be auto, all, none or a positive whole number, got ${gpus}`, 'invalid_spec');
  }
  const request: Dockerode.DeviceRequest = { Driver: 'nvidia', Count: gpus === 'auto' || gpus === 'all' ? -1 : gpus, Capabilities: [['gpu']] };
  if (hasNvidia) return { deviceRequests: [request] };
  if (gpus === 'auto') return { note: '[docker] no NVIDIA runtime in this Docker engine: training on the CPU (finetuning.gpus: auto)' };
  if (trustEngine) return { deviceRequests: [request] };
  if (cpuFallback) {
    return { note: `[docker] GPUs were requested (finetuning.gpus: ${gpus}) but this Docker engine has no NVIDIA runtime: training on the CPU (finetuning.docker.cpu_fallback: true)` };
  }
  throw noGpuSupport(String(gpus), 'this Docker engine has no NVIDIA runtime (docker info lists no "nvidia" runtime)');
}

export function hasNvidiaRuntime(info: unknown): boolean {
  const runtimes = (info as { Runtimes?: unknown } | null)?.Runtimes;
  return !!runtimes && typeof runtimes === 'object' && Object.prototype.hasOwnProperty.call(runtimes, 'nvidia');
}
