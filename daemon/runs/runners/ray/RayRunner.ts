// finetuning.runner: ray — a run is a Ray job on a cluster, submitted, followed and stopped over
// the job REST API (RayJobsClient). The job (docker/ray_job.py) spreads the trainer's ranks over
// the cluster's nodes; rank 0's events come back through the job's log. A cluster schedules its
// own GPUs: no host lock here. Each run's job id is recorded so a restarted daemon re-attaches.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exitFromTrainer, isFinalEvent, LineBuffer, stdoutSink } from '../trainerOutput';
import type { ReconciledRun, RunExit, RunHandle, RunListener, Runner, RunSpec, TrainerEvent } from '../types';
import { RunnerError } from '../types';
import { copyModel } from './copyModel';
import { jobPackage, PACKAGE_DATA_DIR } from './jobPackage';
import { ENDED, RayJobsClient, type JobInfo } from './RayJobsClient';
import { RunRecords, type RayRunRecord } from './runRecords';

export interface RayRunnerOptions {
  /** finetuning.ray.address: the job-submission (dashboard) URL. */
  address: string;
  /** finetuning.ray.storage: a folder shared by this machine and every node, or null (same disk). */
  storage: string | null;
  /** Folder holding finetune.py, its package and ray_job.py (the repo's docker/ folder). */
  trainerDir: string;
  /** Where the job id of each run is recorded (the daemon's state folder). */
  runsDir: string;
  pollMs?: number;
  /** How long the cluster may not answer before a run it holds is failed. */
  unreachableMs?: number;
}

/** A cancelled job's time to checkpoint before Ray kills it (ray_job.py gives its ranks 120 s). */
const STOP_WAIT_S = '150';
const NODES_LINE = /^\[ray_job\] \d+ ranks on (\d+) nodes/;

export class RayRunner implements Runner {
  readonly name = 'ray' as const;
  private readonly records: RunRecords;

  constructor(private readonly opts: RayRunnerOptions) {
    this.records = new RunRecords(opts.runsDir);
  }

  async start(spec: RunSpec, listener: RunListener): Promise<RunHandle> {
    const { address, storage } = this.opts;
    if (!storage && !isLoopback(address)) {
      throw new RunnerError(
        `the Ray cluster at ${address} is on another machine, and finetuning.ray.storage is not set: the model could not come back`,
        'invalid_spec',
        'set finetuning.ray.storage to a folder mounted at the same path here and on every Ray node (NFS, a bucket mount)',
      );
    }
    const shared = storage ? path.join(storage, 'flywheel', createHash('sha256').update(spec.workspace).digest('hex').slice(0, 12), spec.runId) : undefined;
    const remoteOutputDir = shared ? path.join(shared, 'out') : spec.outputDir;
    const snapshot = path.join(spec.dataDir, spec.snapshotFile);
    let dataDir = PACKAGE_DATA_DIR;
    if (shared) {
      dataDir = path.join(shared, 'data');
      fs.mkdirSync(dataDir, { recursive: true });
      fs.copyFileSync(snapshot, path.join(dataDir, spec.snapshotFile));
    }
    const pkg = jobPackage(this.opts.trainerDir, shared ? undefined : { file: snapshot, name: spec.snapshotFile });
    const client = new RayJobsClient(address);
    await client.ensurePackage(pkg.uri, pkg.bytes);

    const record: RayRunRecord = { runId: spec.runId, address, jobId: `flywheel-${spec.runId}-${Date.now().toString(36)}`, outputDir: spec.outputDir, remoteOutputDir };
    const { processes, strategy, gpusPerNode } = spec.resources;
    const trainer = spec.trainerArgs.map((a) => clusterPath(a, dataDir, remoteOutputDir));
    const entrypoint = ['python', 'ray_job.py', '--workers', String(processes), '--gpus', gpusPerNode === 'none' ? 'none' : 'auto', '--', ...trainer, '--processes', '1', '--strategy', strategy];
    // Recorded first: a daemon that dies right after the submit still finds the job.
    this.records.save(record);
    try {
      await client.submit({
        entrypoint: entrypoint.map(shellQuote).join(' '),
        submission_id: record.jobId,
        runtime_env: {
          working_dir: pkg.uri,
          env_vars: { ...spec.env, PYTHONUNBUFFERED: '1', TOKENIZERS_PARALLELISM: 'false', RAY_JOB_STOP_WAIT_TIME_S: STOP_WAIT_S },
        },
        metadata: { flywheel_run: spec.runId },
      });
    } catch (err) {
      this.records.remove(spec.runId);
      throw err;
    }
    return this.attach(record, listener);
  }

  async reconcile(_workspace: string, listenerFor: (runId: string) => RunListener): Promise<ReconciledRun[]> {
    const found: ReconciledRun[] = [];
    for (const record of this.records.all()) {
      const handle = this.attach(record, listenerFor(record.runId));
      let info: JobInfo | undefined;
      try {
        info = await new RayJobsClient(record.address).info(record.jobId);
      } catch {
        // The cluster does not answer now: re-attached all the same; the handle fails the run if it stays away.
        found.push({ runId: record.runId, state: 'running', handle });
        continue;
      }
      found.push(info && !ENDED.includes(info.status) ? { runId: record.runId, state: 'running', handle } : { runId: record.runId, state: 'exited', exit: await handle.wait() });
    }
    return found;
  }

  /** Forget a finished run's job id (the job itself stays in the cluster's history). */
  collect(runId: string): void {
    this.records.remove(runId);
  }

  private attach(record: RayRunRecord, listener: RunListener): RunHandle {
    const client = new RayJobsClient(record.address);
    const pollMs = this.opts.pollMs ?? 1000;
    const unreachableMs = this.opts.unreachableMs ?? 60_000;
    let last: TrainerEvent | undefined;
    let nodes: number | undefined;
    let cancelRequested = false;
    let seen = 0;
    const lines = new LineBuffer();
    const sink = stdoutSink(listener, (e) => isFinalEvent(e) && (last = e));
    const feed = (line: string) => {
      const m = NODES_LINE.exec(line);
      if (m) nodes = Number(m[1]);
      sink(line);
    };
    const ray = () => ({ address: record.address, job_id: record.jobId, ...(nodes ? { nodes } : {}) });

    const done: Promise<RunExit> = (async () => {
      let silentSince: number | undefined;
      for (;;) {
        try {
          const info = await client.info(record.jobId);
          if (!info) return failed(`the Ray cluster at ${record.address} no longer knows job ${record.jobId} (a new head node?)`, 'start the run again (finetune run)');
          const text = await client.logs(record.jobId);
          if (text.length > seen) lines.push(text.slice(seen)).forEach(feed);
          seen = Math.max(seen, text.length);
          silentSince = undefined;
          if (ENDED.includes(info.status)) {
            lines.flush().forEach(feed);
            return withUsed(this.exitOf(record, info, last, cancelRequested), ray());
          }
        } catch (err) {
          silentSince ??= Date.now();
          if (Date.now() - silentSince > unreachableMs) {
            return failed(`the Ray cluster at ${record.address} stopped answering while job ${record.jobId} ran: ${(err as Error).message}`, 'check the head node; when it is back, restart the daemon to re-attach (the job id is kept)');
          }
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
    })();

    return {
      id: record.jobId,
      wait: () => done,
      cancel: async () => {
        cancelRequested = true;
        await client.stop(record.jobId);
        await done;
      },
    };
  }

  /** What an ended job means: the trainer's own final event first, then what Ray says. */
  private exitOf(record: RayRunRecord, info: JobInfo, last: TrainerEvent | undefined, cancelRequested: boolean): RunExit {
    const code = info.driver_exit_code ?? (info.status === 'SUCCEEDED' ? 0 : null);
    const dashboard = `the Ray dashboard at ${record.address}`;
    if (info.status === 'STOPPED' && !cancelRequested) {
      return failed(`the Ray job ${record.jobId} was stopped outside the daemon${info.message ? ` (${firstLine(info.message)})` : ''}`, `see it in ${dashboard}; start the run again with "finetune run"`, code);
    }
    const exit = exitFromTrainer(code, last, cancelRequested);
    if (exit.status === 'failed' && last?.event !== 'failed') {
      return failed(`the Ray job ${record.jobId} failed: ${firstLine(info.message ?? `exit code ${code ?? 'unknown'}`)}`, `see the job's log in logs/finetuning.log or in ${dashboard}`, code);
    }
    if (exit.status === 'succeeded' && record.remoteOutputDir !== record.outputDir) {
      try {
        copyModel(record.remoteOutputDir, record.outputDir);
      } catch (err) {
        return failed(`the model is in ${record.remoteOutputDir} on the cluster's storage, but could not be copied into the workspace: ${(err as Error).message}`, 'check that finetuning.ray.storage is mounted here at the same path', code);
      }
    }
    return exit;
  }
}

function withUsed(exit: RunExit, ray: Record<string, unknown>): RunExit {
  return { ...exit, used: { ...exit.used, ray } };
}

function failed(message: string, hint: string, exitCode: number | null = null): RunExit {
  return { status: 'failed', exitCode, error: { message, hint } };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** The trainer's container paths (/data, /models/out) as the job sees them. */
function clusterPath(arg: string, dataDir: string, outputDir: string): string {
  if (arg === '/models/out' || arg.startsWith('/models/out/')) return outputDir + arg.slice('/models/out'.length);
  if (arg.startsWith('/data/')) return `${dataDir}/${arg.slice('/data/'.length)}`;
  return arg;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function isLoopback(address: string): boolean {
  const host = new URL(address).hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || host.startsWith('127.');
}
