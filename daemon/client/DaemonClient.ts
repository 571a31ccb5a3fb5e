// A typed client for the daemon's socket, used by the CLI, the demo and the tests.
// (The extension connects through vscode-languageclient over the same protocol.)
import * as net from 'node:net';
import { createMessageConnection, ResponseError, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { z } from 'zod';
import { DomainError } from '../errors/DomainError';
import { DaemonHello, PROTOCOL_VERSION, type ErrorData, type NotificationDef, type RequestDef } from '../protocol';
import { daemonPaths } from '../shared/daemonPaths';
import { streamReader } from '../shared/streamReader';

export class DaemonNotRunningError extends DomainError {
  constructor(readonly workspace: string) {
    super('daemon-not-running', `no daemon is running for ${workspace}`, `start one with "finetune daemon --detach --workspace ${workspace}"`);
  }
}

export class DaemonClient {
  private constructor(
    private readonly connection: MessageConnection,
    private readonly socket: net.Socket,
    readonly hello: z.output<typeof DaemonHello.result>,
  ) {}

  static async connect(workspace: string, client = 'finetune-cli', socketPath = daemonPaths(workspace).socket): Promise<DaemonClient> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(socketPath);
      s.once('connect', () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? new DaemonNotRunningError(workspace) : err),
      );
    });
    const connection = createMessageConnection(streamReader(socket), new StreamMessageWriter(socket));
    connection.listen();
    try {
      const hello = await connection.sendRequest(DaemonHello.method, { protocolVersion: PROTOCOL_VERSION, client });
      return new DaemonClient(connection, socket, DaemonHello.result.parse(hello));
    } catch (err) {
      connection.dispose();
      socket.destroy();
      throw err;
    }
  }

  /** Sends a request; the result is parsed by the shared schema so a drifted daemon is caught here. */
  async request<P extends z.ZodType, R extends z.ZodType>(def: RequestDef<P, R>, params: z.input<P>): Promise<z.output<R>> {
    const result = await this.connection.sendRequest(def.method, params);
    return def.result.parse(result) as z.output<R>;
  }

  /** Sends raw params without client-side typing: for tests of the daemon's own validation. */
  requestRaw(method: string, params: unknown): Promise<unknown> {
    return this.connection.sendRequest(method, params);
  }

  on<P extends z.ZodType>(def: NotificationDef<P>, listener: (params: z.output<P>) => void): { dispose(): void } {
    return this.connection.onNotification(def.method, (params: unknown) => listener(def.params.parse(params) as z.output<P>));
  }

  onClose(listener: () => void): void {
    this.connection.onClose(listener);
  }

  close(): void {
    this.connection.dispose();
    this.socket.destroy();
  }
}

/** The message and hint of a daemon error, for people. */
export function describeError(err: unknown): string {
  if (err instanceof ResponseError) {
    const data = err.data as ErrorData | undefined;
    return data?.hint ? `${err.message}\n  hint: ${data.hint}` : err.message;
  }
  if (err instanceof DomainError && err.hint) return `${err.message}\n  hint: ${err.hint}`;
  return err instanceof Error ? err.message : String(err);
}
