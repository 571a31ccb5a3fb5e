// Ray's job-submission REST API (the dashboard's /api/jobs and /api/packages), from TypeScript:
// the daemon needs no Python to submit, follow, and stop a job. Every failure to reach the
// cluster is a RunnerError that names the address.
import * as http from 'node:http';
import * as https from 'node:https';
import { RunnerError } from '../types';

export type JobStatus = 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';
export const ENDED: readonly JobStatus[] = ['STOPPED', 'SUCCEEDED', 'FAILED'];

export interface JobInfo {
  status: JobStatus;
  message?: string | null;
  driver_exit_code?: number | null;
}

export interface JobRequest {
  entrypoint: string;
  submission_id: string;
  runtime_env: Record<string, unknown>;
  metadata: Record<string, string>;
}

const REQUEST_TIMEOUT_MS = 30_000;
const UPLOAD_TIMEOUT_MS = 600_000;

export class RayJobsClient {
  private readonly base: string;

  constructor(readonly address: string) {
    this.base = address.replace(/\/+$/, '');
  }

  /** Uploads the package unless the cluster has it already (same name, same content). */
  async ensurePackage(uri: string, bytes: Buffer): Promise<void> {
    const at = `/api/packages/${uri.replace('://', '/')}`;
    if ((await this.call('GET', at, undefined, [200, 404])).status === 200) return;
    await this.call('PUT', at, bytes, [200], UPLOAD_TIMEOUT_MS);
  }

  async submit(job: JobRequest): Promise<void> {
    await this.call('POST', '/api/jobs/', JSON.stringify(job), [200]);
  }

  /** Undefined when the cluster does not know the job (e.g. a new head after a restart). */
  async info(id: string): Promise<JobInfo | undefined> {
    const res = await this.call('GET', `/api/jobs/${encodeURIComponent(id)}`, undefined, [200, 404]);
    return res.status === 404 ? undefined : (JSON.parse(res.body) as JobInfo);
  }

  /** The job's whole log (the driver's stdout and stderr) so far. */
  async logs(id: string): Promise<string> {
    const res = await this.call('GET', `/api/jobs/${encodeURIComponent(id)}/logs`, undefined, [200]);
    return String((JSON.parse(res.body) as { logs?: unknown }).logs ?? '');
  }

  async stop(id: string): Promise<void> {
    await this.call('POST', `/api/jobs/${encodeURIComponent(id)}/stop`, undefined, [200, 404]);
  }

  private async call(method: string, route: string, body: string | Buffer | undefined, ok: number[], timeoutMs = REQUEST_TIMEOUT_MS): Promise<{ status: number; body: string }> {
    let res: { status: number; body: string };
    try {
      res = await request(new URL(this.base + route), method, body, timeoutMs);
    } catch (err) {
      throw unreachable(this.address, err);
    }
    if (!ok.includes(res.status)) {
      const last = res.body.trim().split('\n').filter(Boolean).pop() ?? '';
      throw new RunnerError(`the Ray cluster at ${this.address} refused ${method} ${route}: HTTP ${res.status}: ${last}`, 'engine', 'see the head node\'s dashboard log (session_latest/logs/dashboard.log)');
    }
    return res;
  }
}

/**
 * One HTTP request with node:http, not fetch: fetch sends Sec-Fetch-* headers, and Ray's
 * dashboard refuses what looks like a browser's request to change anything (HTTP 405).
 */
function request(url: URL, method: string, body: string | Buffer | undefined, timeoutMs: number): Promise<{ status: number; body: string }> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'user-agent': 'finetune-flywheel' };
    if (body !== undefined) {
      headers['content-type'] = typeof body === 'string' ? 'application/json' : 'application/octet-stream';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = send(url, { method, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

export function unreachable(address: string, err: unknown): RunnerError {
  const e = err as { code?: string; message?: string };
  return new RunnerError(
    `the Ray cluster at ${address} cannot be reached (${e.code ?? e.message ?? String(err)})`,
    'engine',
    'start the cluster (ray start --head --dashboard-host 0.0.0.0) or fix finetuning.ray.address in config/models.yml; the daemon needs its dashboard port (8265 by default)',
  );
}
