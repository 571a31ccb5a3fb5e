// One run's container, from attach to removal: streams its output to the listener, waits for it
// to end, explains the end (exitStatus.ts), and removes it, always. cancel() is `docker stop`
// with time for the trainer to write its checkpoint.
import type Dockerode from 'dockerode';
import type { EngineRecord, RunExit, RunHandle, RunListener } from '../types';
import { engineMessage, isNotFound, statusCodeOf } from './engineErrors';
import { exitOfContainer } from './exitStatus';
import { OutputMemory, pipeToListener } from './streams';

export interface DockerRunOptions {
  /** `docker stop -t`: seconds between SIGTERM and SIGKILL. */
  stopTimeoutS: number;
  /** Stop a run that prints nothing (stdout or stderr) for this long; off when undefined. */
  stallTimeoutMs?: number;
  /** How long to keep trying to reach a restarting engine before giving up on a run. */
  engineGraceMs: number;
  /** What the run used (the image and its id), added to how it ended. */
  used?: EngineRecord;
}

export class DockerRun implements RunHandle {
  private readonly memory = new OutputMemory();
  private cancelRequested = false;
  private stalledMs: number | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private done!: Promise<RunExit>;

  private constructor(
    readonly id: string,
    private readonly container: Dockerode.Container,
    private readonly listener: RunListener,
    private readonly opts: DockerRunOptions,
  ) {}

  /** A created (never started) container: attach first so no early line is lost, then start. */
  static async launch(runId: string, docker: Dockerode, container: Dockerode.Container, listener: RunListener, opts: DockerRunOptions): Promise<DockerRun> {
    const run = new DockerRun(runId, container, listener, opts);
    const stream = await container.attach({ stream: true, stdout: true, stderr: true, logs: true });
    const streamed = pipeToListener(docker.modem, stream, listener, run.memory);
    try {
      await container.start();
    } catch (err) {
      stream.removeAllListeners('data');
      (stream as unknown as { destroy?: () => void }).destroy?.();
      throw err;
    }
    run.monitor(streamed);
    return run;
  }

  /**
   * A container found running (or already ended) after a daemon restart: its log from the start is
   * replayed to the listener (events included) and followed until it ends.
   */
  static async adopt(runId: string, docker: Dockerode, container: Dockerode.Container, listener: RunListener, opts: DockerRunOptions): Promise<DockerRun> {
    const run = new DockerRun(runId, container, listener, opts);
    const stream = await container.logs({ follow: true, stdout: true, stderr: true, since: 0 });
    run.monitor(pipeToListener(docker.modem, stream, listener, run.memory));
    return run;
  }

  wait(): Promise<RunExit> {
    return this.done;
  }

  async cancel(): Promise<void> {
    this.cancelRequested = true;
    try {
      await this.container.stop({ t: this.opts.stopTimeoutS });
    } catch (err) {
      // 304: already stopped; 404: already gone. Anything else: the end still comes through wait().
      if (statusCodeOf(err) !== 304 && !isNotFound(err)) this.say(`[docker] stopping the container failed: ${engineMessage(err)}`);
    }
    await this.done;
  }

  private monitor(streamed: Promise<void>): void {
    this.armStallTimer();
    this.done = this.follow(streamed).finally(() => {
      if (this.stallTimer) clearInterval(this.stallTimer);
    });
  }

  private async follow(streamed: Promise<void>): Promise<RunExit> {
    try {
      await this.waitForExit();
      // The last frames can trail the exit by a moment; the stream ends when the container does.
      await within(streamed, 10_000);
      const info = await this.inspectPatiently();
      const exit = exitOfContainer({
        exitCode: info ? info.State.ExitCode : null,
        oomKilled: !!info?.State.OOMKilled,
        cancelRequested: this.cancelRequested,
        stalledMs: this.stalledMs,
        lastFinal: this.memory.lastFinal,
        stderrTail: this.memory.stderrTail(),
      });
      return { ...exit, used: { ...this.opts.used, ...exit.used } };
    } catch (err) {
      return { status: 'failed', exitCode: null, error: { message: `lost track of the trainer container: ${engineMessage(err)}`, hint: 'check that Docker is running; the daemon collects the run when it reconnects' } };
    } finally {
      await this.remove();
    }
  }

  /** POST /wait, and when the connection drops (engine restart), polling until it is not running. */
  private async waitForExit(): Promise<void> {
    try {
      await this.container.wait();
      return;
    } catch (err) {
      if (isNotFound(err)) throw err;
    }
    const giveUpAt = Date.now() + this.opts.engineGraceMs;
    for (;;) {
      try {
        const info = await this.container.inspect();
        if (!info.State.Running && !info.State.Restarting) return;
      } catch (err) {
        if (isNotFound(err) || Date.now() > giveUpAt) throw err;
      }
      await delay(1000);
    }
  }

  private async inspectPatiently(): Promise<Dockerode.ContainerInspectInfo | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        return await this.container.inspect();
      } catch (err) {
        if (isNotFound(err)) return undefined;
        await delay(500 * (attempt + 1));
      }
    }
    return undefined;
  }

  /** Never leave a container behind; what cannot be removed now, reconcile removes later. */
  private async remove(): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.container.remove({ force: true, v: true });
        return;
      } catch (err) {
        const message = engineMessage(err);
        if (isNotFound(err) || /already in progress/i.test(message)) return;
        if (attempt === 4) this.say(`[docker] could not remove container ${this.container.id}: ${message}`);
        await delay(500 * (attempt + 1));
      }
    }
  }

  private armStallTimer(): void {
    const limit = this.opts.stallTimeoutMs;
    if (!limit) return;
    this.stallTimer = setInterval(() => {
      const quiet = Date.now() - this.memory.lastLineAt;
      if (quiet < limit || this.stalledMs !== undefined || this.cancelRequested) return;
      this.stalledMs = quiet;
      this.say(`[docker] no output for ${Math.round(quiet / 1000)}s: stopping the stalled run`);
      this.container.stop({ t: this.opts.stopTimeoutS }).catch(() => undefined);
    }, Math.min(limit, 10_000));
    this.stallTimer.unref();
  }

  private say(line: string): void {
    try {
      this.listener.onLog(line, 'stderr');
    } catch {
      /* ignore */
    }
  }
}

/** Waits for `p`, or `ms` at most (no timer left behind). */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
