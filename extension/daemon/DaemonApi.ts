// The extension's only way to talk to the daemon: typed requests and notifications of the shared
// protocol (daemon/protocol), sent through the language client. Results and notification params
// are parsed with the protocol's zod schemas, so a drifted daemon is caught here, not in a view.
// No vscode import: tested with a fake client.
import { ProgressType, type CancellationToken } from 'vscode-jsonrpc';
import type { z } from 'zod';
import { ProgressDidReport, type NotificationDef, type RequestDef } from '../../daemon/protocol';
import { DaemonDownError } from '../errors';
import { Emitter, type Disposable, type Event } from '../util/Emitter';

/** What DaemonApi needs of a vscode-languageclient LanguageClient. */
export interface RpcClient {
  sendRequest(method: string, params: unknown, token?: CancellationToken): Promise<unknown>;
  sendRequest(method: string, params: unknown): Promise<unknown>;
  onNotification(method: string, handler: (params: unknown) => void): Disposable;
  onProgress(type: ProgressType<unknown>, token: string | number, handler: (value: unknown) => void): Disposable;
}

export type ProgressValue = z.output<typeof ProgressDidReport.params>['value'];

export class DaemonApi {
  private readonly emitters = new Map<string, { def: NotificationDef<z.ZodType>; emitter: Emitter<unknown> }>();
  private readonly attached = new Map<RpcClient, Disposable[]>();
  private readonly invalid = new Emitter<{ method: string; error: string }>();
  /** A notification whose params did not match the protocol (logged, then dropped). */
  readonly onInvalidNotification = this.invalid.event;

  /** `current` gives the running client, or why there is none. */
  constructor(private readonly current: () => RpcClient | { down: string }) {}

  get connected(): boolean {
    return !('down' in this.current());
  }

  async request<P extends z.ZodType, R extends z.ZodType>(def: RequestDef<P, R>, params: z.input<P>, token?: CancellationToken): Promise<z.output<R>> {
    const client = this.current();
    if ('down' in client) throw new DaemonDownError(client.down);
    // Only a real token goes along: the client would send a trailing `undefined` as a second
    // positional param, and the daemon takes one by-name object.
    const raw = await (token ? client.sendRequest(def.method, params, token) : client.sendRequest(def.method, params));
    const parsed = def.result.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`the daemon's answer to ${def.method} does not match the protocol (${issue?.path.join('.') || 'result'}: ${issue?.message}); update the extension and the daemon to the same release`);
    }
    return parsed.data as z.output<R>;
  }

  /** Progress ($/progress) of a long request sent with this progressToken, while connected. */
  onProgress(token: string | number, handler: (value: ProgressValue) => void): Disposable {
    const client = this.current();
    if ('down' in client) return { dispose: () => undefined };
    const schema = ProgressDidReport.params.shape.value;
    return client.onProgress(new ProgressType<unknown>(), token, (value) => {
      const parsed = schema.safeParse(value);
      if (parsed.success) handler(parsed.data);
    });
  }

  /** A typed event for a daemon notification; survives reconnections (see attach). */
  on<P extends z.ZodType>(def: NotificationDef<P>): Event<z.output<P>> {
    let entry = this.emitters.get(def.method);
    if (!entry) {
      entry = { def: def as NotificationDef<z.ZodType>, emitter: new Emitter<unknown>() };
      this.emitters.set(def.method, entry);
      for (const [client, subs] of this.attached) subs.push(this.route(client, entry));
    }
    return entry.emitter.event as Event<z.output<P>>;
  }

  /** Routes a (new) client's notifications to the events; dispose when the client goes. */
  attach(client: RpcClient): Disposable {
    const subs = [...this.emitters.values()].map((entry) => this.route(client, entry));
    this.attached.set(client, subs);
    return {
      dispose: () => {
        this.attached.delete(client);
        subs.forEach((s) => s.dispose());
      },
    };
  }

  private route(client: RpcClient, { def, emitter }: { def: NotificationDef<z.ZodType>; emitter: Emitter<unknown> }): Disposable {
    return client.onNotification(def.method, (params) => {
      const parsed = def.params.safeParse(params);
      if (parsed.success) emitter.fire(parsed.data);
      else this.invalid.fire({ method: def.method, error: parsed.error.issues[0]?.message ?? 'invalid' });
    });
  }
}
