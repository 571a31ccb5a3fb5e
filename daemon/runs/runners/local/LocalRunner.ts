// Runs docker/finetune.py as a local process in the project's Python environment, for machines
// without Docker. Output goes to files in the run's folder (not pipes), so a training run
// outlives a daemon restart and is re-attached by tailing those files.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAlive } from '../../../shared/instanceLock';
import { reserveHostGpu } from '../hostGpuLock';
import { trainerCommandArgs } from '../trainerCommand';
import { exitFromTrainer, isFinalEvent, LineBuffer, stdoutSink } from '../trainerOutput';
import type { ReconciledRun, Reservation, ReserveWait, RunExit, RunHandle, RunListener, Runner, RunSpec, TrainerEvent } from '../types';
import { FileTail } from './FileTail';

export interface LocalRunnerOptions {
  /** The Python interpreter with the trainer's requirements (the repo's .venv by default). */
  python: string;
  /** Folder holding finetune.py and its package (the repo's docker/ folder). */
  trainerDir: string;
  /** Where each run keeps pid, stdout and stderr files: <runsDir>/<runId>/. */
  runsDir: string;
  /** How long a cancelled run may take to write its checkpoint before it is killed. */
  stopGraceMs?: number;
}

interface RunFiles {
  dir: string;
  pid: string;
  stdout: string;
  stderr: string;
  exit: string;
}

export class LocalRunner implements Runner {
  readonly name = 'local' as const;

  constructor(private readonly opts: LocalRunnerOptions) {}

  available(): boolean {
    return fs.existsSync(this.opts.python) && fs.existsSync(path.join(this.opts.trainerDir, 'finetune.py'));
  }

  /** One GPU run at a time on this host, whichever runner or workspace. */
  reserve(spec: RunSpec, wait: ReserveWait): Promise<Reservation | undefined> {
    return reserveHostGpu(spec, wait);
  }

  /** More than one process: the trainer starts torchrun itself, in this same environment. */
  async start(spec: RunSpec, listener: RunListener): Promise<RunHandle> {
    if (!this.available()) {
      throw new Error(`the local runner needs ${this.opts.python} with the trainer's requirements; run "bash scripts/python-env.sh" (or use the docker runner)`);
    }
    const files = this.filesOf(spec.runId);
    fs.mkdirSync(files.dir, { recursive: true });
    const args = trainerCommandArgs(spec).map((a) => hostPath(a, spec));
    const out = fs.openSync(files.stdout, 'a');
    const err = fs.openSync(files.stderr, 'a');
    // A shell records the exit code beside the output, so a re-attached daemon learns it too.
    const child = spawn('/bin/sh', ['-c', `"$0" "$@"; echo $? > ${shellQuote(files.exit)}`, this.opts.python, path.join(this.opts.trainerDir, 'finetune.py'), ...args], {
      cwd: this.opts.trainerDir,
      detached: true,
      stdio: ['ignore', out, err],
      env: { ...process.env, ...spec.env, PYTHONUNBUFFERED: '1', TOKENIZERS_PARALLELISM: 'false' },
    });
    fs.closeSync(out);
    fs.closeSync(err);
    child.unref();
    fs.writeFileSync(files.pid, String(child.pid));
    return this.attach(spec.runId, files, listener);
  }

  async reconcile(_workspace: string, listenerFor: (runId: string) => RunListener): Promise<ReconciledRun[]> {
    if (!fs.existsSync(this.opts.runsDir)) return [];
    const found: ReconciledRun[] = [];
    for (const runId of fs.readdirSync(this.opts.runsDir)) {
      const files = this.filesOf(runId);
      if (!fs.existsSync(files.pid)) continue;
      const handle = this.attach(runId, files, listenerFor(runId));
      const running = groupAlive(Number(fs.readFileSync(files.pid, 'utf8')));
      found.push(running ? { runId, state: 'running', handle } : { runId, state: 'exited', exit: await handle.wait() });
    }
    return found;
  }

  /** Forget a finished run's process files (the run's log stays in logs/finetuning.log). */
  collect(runId: string): void {
    fs.rmSync(this.filesOf(runId).dir, { recursive: true, force: true });
  }

  private attach(runId: string, files: RunFiles, listener: RunListener): RunHandle {
    let last: TrainerEvent | undefined;
    let cancelRequested = false;
    const outLines = new LineBuffer();
    const errLines = new LineBuffer();
    const toStdout = stdoutSink(listener, (e) => isFinalEvent(e) && (last = e));
    const tails = [
      new FileTail(files.stdout, (chunk) => outLines.push(chunk).forEach(toStdout)),
      new FileTail(files.stderr, (chunk) => errLines.push(chunk).forEach((l) => listener.onLog(l, 'stderr'))),
    ];
    const pid = Number(fs.readFileSync(files.pid, 'utf8'));
    const done: Promise<RunExit> = (async () => {
      // Done when the whole process group is gone: the shell may die first (a signal), while the
      // trainer is still writing its checkpoint. The shell's exit file gives the trainer's code.
      while (groupAlive(pid)) await new Promise((r) => setTimeout(r, 200));
      for (const t of tails) t.stop();
      outLines.flush().forEach(toStdout);
      errLines.flush().forEach((l) => listener.onLog(l, 'stderr'));
      const code = fs.existsSync(files.exit) ? Number.parseInt(fs.readFileSync(files.exit, 'utf8'), 10) : null;
      return exitFromTrainer(Number.isFinite(code) ? code : null, last, cancelRequested);
    })();
    return {
      id: runId,
      wait: () => done,
      cancel: async () => {
        cancelRequested = true;
        signalGroup(pid, 'SIGTERM');
        const killAt = Date.now() + (this.opts.stopGraceMs ?? 60_000);
        while (groupAlive(pid) && Date.now() < killAt) await new Promise((r) => setTimeout(r, 100));
        if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
        await done;
      },
    };
  }

  private filesOf(runId: string): RunFiles {
    const dir = path.join(this.opts.runsDir, runId);
    return { dir, pid: path.join(dir, 'pid'), stdout: path.join(dir, 'stdout.log'), stderr: path.join(dir, 'stderr.log'), exit: path.join(dir, 'exit-code') };
  }
}

/** The trainer sees container paths (/data, /models/out); locally they are the host folders. */
function hostPath(arg: string, spec: RunSpec): string {
  if (arg === '/models/out' || arg.startsWith('/models/out/')) return spec.outputDir + arg.slice('/models/out'.length);
  if (arg === '/data' || arg.startsWith('/data/')) return spec.dataDir + arg.slice('/data'.length);
  return arg;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Whether any process of the run's group (the shell and the trainer) is still there. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' || isAlive(pid);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // The shell and the trainer share a process group (detached spawn): signal both.
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}
