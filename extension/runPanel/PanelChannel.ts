// Host side (runs in the extension host; no vscode import): the run panel's end of the
// postMessage protocol. It numbers every event, keeps a compacted log of them, and on
// `webview/ready` replays what the panel is missing; messages posted to a hidden or
// not-yet-loaded webview are lost, so nothing is posted before the panel says it is ready.
//
//   const channel = new PanelChannel({ run, cancel, openLogs, openModelCard });
//   channel.attach((m) => panel.webview.postMessage(m));          // on create / deserialize
//   panel.webview.onDidReceiveMessage((m) => channel.receive(m));
//   panel.onDidDispose(() => channel.detach());
//   client.onNotification(RunsDidProgress.type, (p) => channel.runProgress(p.id, p.progress));
import {
  ErrorCodes,
  PanelCancel,
  PanelJudgeCalibrate,
  PanelJudgeEvaluate,
  PanelJudgeRevert,
  PanelOpenLogs,
  PanelOpenModelCard,
  PanelRun,
  WebviewDidSync,
  WebviewReady,
  classifyMessage,
  errorData,
  errorMessage,
  notificationMessage,
  resultMessage,
  type ConnectionState,
  type LogEntry,
  type ModelVersion,
  type CalibrateReport,
  type PanelConfig,
  type PanelEventBody,
  type PanelJudge,
  type PanelEventMethod,
  type RpcError,
  type RunSummary,
  type Status,
} from '../../daemon/protocol';
import type { z } from 'zod';

export interface PanelHandlers {
  run(params: { force: boolean }): Promise<RunSummary>;
  cancel(params: { id?: string }): Promise<RunSummary>;
  openLogs(params: { runId?: string }): Promise<void>;
  /** Called only for a version the channel was told about (setModels / setStatus). */
  openModelCard(version: ModelVersion): Promise<void>;
  /** The Judge card: measure (the figures come back through setJudge), calibrate (preview, or apply what was previewed), revert. */
  judgeEvaluate(): Promise<void>;
  judgeCalibrate(params: { apply: boolean; expect?: string }): Promise<CalibrateReport>;
  judgeRevert(): Promise<{ reverted: string; current: string | null }>;
}

/** `(m) => webview.postMessage(m)`. */
export type PostMessage = (message: unknown) => PromiseLike<boolean> | boolean | void;

export interface PanelChannelOptions {
  /** Names this event log; random by default. */
  epoch?: string;
  /** Progress events kept for replay (default 5,000). */
  maxProgress?: number;
  /** Log entries kept for replay (default 1,000). */
  maxLogEntries?: number;
  /** Told about messages that could not be handled or posted. */
  onProblem?: (message: string) => void;
}

/** An error the channel answers a request with; handlers may throw it too. */
export class PanelRequestError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: z.infer<typeof errorData>,
  ) {
    super(message);
  }
}

interface LoggedEvent {
  seq: number;
  method: PanelEventMethod;
  params: object;
  /** State events: a later event with the same key replaces this one. */
  key: string | null;
  stream: 'progress' | 'log' | null;
  size: number;
}

export class PanelChannel {
  readonly epoch: string;
  private seq = -1;
  /** The newest event dropped from a stream; a panel behind it cannot resume. */
  private horizon = -1;
  private readonly events = new Map<number, LoggedEvent>();
  private readonly byKey = new Map<string, number>();
  private readonly progressSeqs: number[] = [];
  private readonly logSeqs: number[] = [];
  private logEntries = 0;
  private post: PostMessage | null = null;
  private isReady = false;
  private readonly versions = new Map<string, ModelVersion>();
  private readonly maxProgress: number;
  private readonly maxLogEntries: number;

  constructor(
    private readonly handlers: PanelHandlers,
    private readonly options: PanelChannelOptions = {},
  ) {
    this.epoch = options.epoch ?? randomEpoch();
    this.maxProgress = options.maxProgress ?? 5000;
    this.maxLogEntries = options.maxLogEntries ?? 1000;
  }

  /** The sequence number of the newest event (-1: none yet). */
  get lastSeq(): number {
    return this.seq;
  }

  /** True once the attached webview has said webview/ready. */
  get ready(): boolean {
    return this.isReady;
  }

  /** A new webview (created or restored): events wait in the log until it says webview/ready. */
  attach(post: PostMessage): void {
    this.post = post;
    this.isReady = false;
  }

  /** The webview is gone (disposed). Events keep being logged. */
  detach(): void {
    this.post = null;
    this.isReady = false;
  }

  // ---- events (host → panel) --------------------------------------------------------------

  setConnection(state: ConnectionState, message?: string): void {
    this.publish('connection/didChange', message === undefined ? { state } : { state, message }, 'connection');
  }

  setStatus(status: Status): void {
    if (status.currentModel) this.versions.set(status.currentModel.path, status.currentModel);
    this.publish('status/didChange', { status }, 'status');
  }

  setConfig(config: PanelConfig): void {
    this.publish('config/didChange', { config }, 'config');
  }

  /** The run history, newest first. */
  setRuns(runs: RunSummary[]): void {
    this.publish('runs/didList', { runs }, 'runs');
  }

  runChanged(run: RunSummary): void {
    this.publish('runs/didChange', { run }, `run:${run.id}`);
  }

  runProgress(id: string, progress: NonNullable<RunSummary['progress']>, at: Date = new Date()): void {
    this.publish('runs/didProgress', { id, progress, at: at.toISOString() }, null, 'progress');
  }

  appendLogs(entries: LogEntry[]): void {
    if (entries.length > 0) this.publish('logs/didAppend', { entries }, null, 'log', entries.length);
  }

  /** Every landed version, newest first. */
  setModels(versions: ModelVersion[]): void {
    this.versions.clear();
    for (const v of versions) this.versions.set(v.path, v);
    this.publish('models/didList', { versions }, 'models');
  }

  /** The Judge card: labels so far, the calibration in use, the last measurement. */
  setJudge(judge: PanelJudge): void {
    this.publish('judge/didChange', { judge }, 'judge');
  }

  // ---- messages from the panel ------------------------------------------------------------

  /** Hand every message from `webview.onDidReceiveMessage` here. */
  async receive(raw: unknown): Promise<void> {
    const msg = classifyMessage(raw);
    if (!msg) return this.problem('ignored a message that is not JSON-RPC 2.0');
    if (msg.kind === 'notification') {
      if (msg.method !== WebviewReady.method) return this.problem(`ignored an unknown notification ${msg.method}`);
      const ready = WebviewReady.params.safeParse(msg.params);
      if (!ready.success) return this.problem(`ignored an invalid webview/ready: ${ready.error.message}`);
      return this.replay(ready.data);
    }
    if (msg.kind !== 'request') return this.problem(`ignored a ${msg.kind} (the host sends no requests)`);
    let reply: object;
    try {
      reply = resultMessage(msg.id, await this.handle(msg.method, msg.params));
    } catch (err) {
      reply = errorMessage(msg.id, toRpcError(err));
    }
    this.send(reply);
  }

  private async handle(method: string, params: unknown): Promise<unknown> {
    switch (method) {
      case PanelRun.method:
        return this.handlers.run(parse(PanelRun.params, params));
      case PanelCancel.method:
        return this.handlers.cancel(parse(PanelCancel.params, params));
      case PanelOpenLogs.method:
        await this.handlers.openLogs(parse(PanelOpenLogs.params, params));
        return null;
      case PanelOpenModelCard.method: {
        const { path } = parse(PanelOpenModelCard.params, params);
        const version = this.versions.get(path);
        if (!version) throw new PanelRequestError(ErrorCodes.InvalidParams, 'not the folder of a known model version', { kind: 'invalid-params', path: 'path' });
        await this.handlers.openModelCard(version);
        return null;
      }
      case PanelJudgeEvaluate.method:
        parse(PanelJudgeEvaluate.params, params);
        await this.handlers.judgeEvaluate();
        return null;
      case PanelJudgeCalibrate.method:
        return this.handlers.judgeCalibrate(parse(PanelJudgeCalibrate.params, params));
      case PanelJudgeRevert.method:
        parse(PanelJudgeRevert.params, params);
        return this.handlers.judgeRevert();
      default:
        throw new PanelRequestError(ErrorCodes.MethodNotFound, `unknown method ${method}`, { kind: 'method-not-found' });
    }
  }

  private replay(ready: z.infer<typeof WebviewReady.params>): void {
    const resume = !ready.fresh && ready.epoch === this.epoch && ready.cursor >= this.horizon && ready.cursor <= this.seq;
    const after = resume ? ready.cursor : -1;
    this.isReady = true;
    this.send(notificationMessage(WebviewDidSync.method, { epoch: this.epoch, mode: resume ? 'resume' : 'reset', upTo: this.seq }));
    for (const e of this.events.values()) if (e.seq > after) this.send(notificationMessage(e.method, e.params));
  }

  // ---- the event log ----------------------------------------------------------------------

  private publish<M extends PanelEventMethod>(method: M, body: PanelEventBody<M>, key: string | null, stream: LoggedEvent['stream'] = null, size = 1): void {
    const seq = ++this.seq;
    const event: LoggedEvent = { seq, method, params: { seq, ...body }, key, stream, size };
    if (key !== null) {
      const old = this.byKey.get(key);
      if (old !== undefined) this.events.delete(old);
      this.byKey.set(key, seq);
    }
    this.events.set(seq, event);
    if (stream === 'progress') {
      this.progressSeqs.push(seq);
      while (this.progressSeqs.length > this.maxProgress) this.evict(this.progressSeqs.shift()!);
    } else if (stream === 'log') {
      this.logSeqs.push(seq);
      this.logEntries += size;
      while (this.logEntries > this.maxLogEntries && this.logSeqs.length > 1) {
        const dropped = this.logSeqs.shift()!;
        this.logEntries -= this.events.get(dropped)?.size ?? 0;
        this.evict(dropped);
      }
    }
    if (this.isReady) this.send(notificationMessage(method, event.params));
  }

  private evict(seq: number): void {
    this.events.delete(seq);
    this.horizon = Math.max(this.horizon, seq);
  }

  private send(message: object): void {
    if (!this.post) return;
    try {
      const posted = this.post(message);
      if (posted && typeof posted === 'object' && 'then' in posted) {
        posted.then(undefined, (err: unknown) => this.problem(`postMessage failed: ${String(err)}`));
      }
    } catch (err) {
      this.problem(`postMessage failed: ${String(err)}`);
    }
  }

  private problem(message: string): void {
    this.options.onProblem?.(message);
  }
}

function parse<S extends z.ZodType>(schema: S, params: unknown): z.output<S> {
  const r = schema.safeParse(params ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  throw new PanelRequestError(ErrorCodes.InvalidParams, `invalid params${path ? ` at ${path}` : ''}: ${issue?.message ?? 'invalid'}`, { kind: 'invalid-params', path });
}

/** Passes on the code, message and {kind, hint} of a daemon ResponseError; anything else is internal. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof PanelRequestError) return { code: err.code, message: err.message, data: err.data };
  if (typeof err === 'object' && err !== null) {
    const { code, message, data } = err as { code?: unknown; message?: unknown; data?: unknown };
    const text = typeof message === 'string' ? message : String(err);
    if (typeof code === 'number' && Number.isInteger(code)) {
      const d = errorData.safeParse(data);
      return d.success ? { code, message: text, data: d.data } : { code, message: text };
    }
    return { code: ErrorCodes.Internal, message: text };
  }
  return { code: ErrorCodes.Internal, message: String(err) };
}

function randomEpoch(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
