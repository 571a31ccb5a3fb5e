// The panel's end of the postMessage protocol: typed requests with responses, notifications
// out, and host notifications in, each parsed with its schema before anyone sees it.
import {
  WebviewDidSync,
  classifyMessage,
  errorData,
  isPanelEventMethod,
  notificationMessage,
  panelEvents,
  requestMessage,
  type NotificationDef,
  type PanelEvent,
  type RequestDef,
} from '../daemon/protocol';
import type { z } from 'zod';
import type { VsCodeApi } from './vscodeApi';
import type { SyncParams } from './sync';

/** A request the host answered with an error (or did not answer). */
export class PanelError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly kind?: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface PanelListener {
  onSync(p: SyncParams): void;
  onEvent(e: PanelEvent): void;
  /** An event that failed validation: its seq (when readable) still counts as seen. */
  onInvalidEvent(seq: number | undefined, problem: string): void;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  schema: z.ZodType;
  timer: ReturnType<typeof setTimeout>;
}

export class PanelClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly api: VsCodeApi,
    private readonly listener: PanelListener,
  ) {}

  listen(target: Window): void {
    target.addEventListener('message', (ev: MessageEvent) => this.receive(ev.data));
  }

  notify<P extends z.ZodType>(def: NotificationDef<P>, params: z.input<P>): void {
    this.api.postMessage(notificationMessage(def.method, def.params.parse(params)));
  }

  request<P extends z.ZodType, R extends z.ZodType>(def: RequestDef<P, R>, params: z.input<P>, timeoutMs = 60_000): Promise<z.output<R>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new PanelError(`no answer to ${def.method} after ${Math.round(timeoutMs / 1000)} s`, -1, 'timeout'));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, schema: def.result, timer });
      this.api.postMessage(requestMessage(id, def.method, def.params.parse(params)));
    });
  }

  receive(raw: unknown): void {
    const msg = classifyMessage(raw);
    if (!msg) return;
    switch (msg.kind) {
      case 'response':
      case 'error': {
        const p = msg.id === null ? undefined : this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id!);
        clearTimeout(p.timer);
        if (msg.kind === 'error') {
          const data = errorData.safeParse(msg.error.data);
          p.reject(new PanelError(msg.error.message, msg.error.code, data.success ? data.data.kind : undefined, data.success ? data.data.hint : undefined));
          return;
        }
        const result = p.schema.safeParse(msg.result);
        if (result.success) p.resolve(result.data);
        else p.reject(new PanelError(`the host answered with an unexpected result: ${result.error.issues[0]?.message ?? ''}`, -1, 'invalid-result'));
        return;
      }
      case 'notification':
        return this.onNotification(msg.method, msg.params);
      case 'request':
        return; // the host asks the panel nothing
    }
  }

  private onNotification(method: string, params: unknown): void {
    if (method === WebviewDidSync.method) {
      const p = WebviewDidSync.params.safeParse(params);
      if (p.success) this.listener.onSync(p.data);
      return;
    }
    if (!isPanelEventMethod(method)) return;
    const parsed = panelEvents[method].params.safeParse(params);
    if (parsed.success) {
      this.listener.onEvent({ method, params: parsed.data } as PanelEvent);
    } else {
      const seq = (params as { seq?: unknown } | null)?.seq;
      this.listener.onInvalidEvent(typeof seq === 'number' ? seq : undefined, `${method}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
  }
}
