// The daemon's JSON-RPC endpoint: many clients at once over one Unix socket. Built on plain
// vscode-jsonrpc connections (not vscode-languageserver's createConnection, which exits the
// process when a stream ends), so one client leaving never stops the daemon. A connection
// opens with daemon/hello, or with LSP initialize (vscode-languageclient): then it is also an
// editor session for JSONL datasets (./lsp).
import * as fs from 'node:fs';
import * as net from 'node:net';
import { ResponseError, createMessageConnection, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { z } from 'zod';
import { DaemonHello, editorInitializationOptions, ErrorCodes, PROTOCOL_VERSION, ProgressDidReport, type NotificationDef } from '../protocol';
import type { Logger } from '../log';
import { toResponseError } from '../errors/toProtocolError';
import { dispatch, invalidParams, type Handler } from './dispatch';
import { FrameBudget, FrameGuard, MAX_BODY } from './frameGuard';
import type { EditorSession, EditorSessions } from './lsp/LspService';
import { streamReader } from '../shared/streamReader';

/** LSP's first request; accepted instead of daemon/hello when it carries the protocol version. */
const LSP_INITIALIZE = 'initialize';

interface Session {
  id: number;
  client: string;
  helloed: boolean;
  connection: MessageConnection;
  socket: net.Socket;
  guard: FrameGuard;
  /** Set by LSP initialize. */
  editor?: EditorSession;
  /** One per request being answered: aborted when the client leaves, so its long work stops. */
  inFlight: Set<AbortController>;
}

export type HelloInfo = Omit<z.output<typeof DaemonHello.result>, 'protocolVersion'>;

export class SocketServer {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private readonly sessions = new Set<Session>();
  private readonly table = new Map<string, Handler>();
  private nextId = 1;
  /** Unfinished-message bytes of all connections together (see frameGuard). */
  private readonly budget: FrameBudget;

  constructor(
    private readonly socketPath: string,
    handlers: Handler[],
    private readonly hello: () => HelloInfo,
    private readonly log: Logger,
    private readonly editors?: EditorSessions,
    private readonly limits: { maxBody?: number; maxBufferedTotal?: number } = {},
  ) {
    this.budget = new FrameBudget(limits.maxBufferedTotal);
    for (const h of handlers) this.table.set(h.def.method, h);
  }

  get clientCount(): number {
    return this.sessions.size;
  }

  async listen(): Promise<void> {
    await removeIfStale(this.socketPath);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.socketPath, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    fs.chmodSync(this.socketPath, 0o600);
  }

  /** Sends a notification to every client that has said hello. */
  broadcast<P extends z.ZodType>(def: NotificationDef<P>, params: z.output<P>): void {
    for (const s of this.sessions) {
      if (s.helloed) s.connection.sendNotification(def.method, params).catch(() => this.drop(s));
    }
  }

  async close(): Promise<void> {
    for (const s of this.sessions) this.drop(s);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.socketPath, { force: true });
  }

  private accept(socket: net.Socket): void {
    const guard = new FrameGuard((reason) => {
      this.log.warn('rpc.frame', `closing a client connection: ${reason}`);
      socket.destroy();
    }, this.limits.maxBody ?? MAX_BODY, this.budget);
    socket.pipe(guard);
    const reader = streamReader(guard);
    // Its partial-message timer re-arms itself forever and would keep a closed client's
    // unfinished message (and its buffers) alive; the guard bounds partial messages instead.
    reader.partialMessageTimeout = 0;
    const connection = createMessageConnection(reader, new StreamMessageWriter(socket));
    const session: Session = { id: this.nextId++, client: 'unknown', helloed: false, connection, socket, guard, inFlight: new Set() };
    this.sessions.add(session);
    connection.onRequest(async (method, params, token) => {
      if (session.editor?.isShutdown) {
        throw new ResponseError(ErrorCodes.InvalidRequest, `${method} after shutdown: this session is shut down; send exit`, { kind: 'shut-down' });
      }
      if (method === DaemonHello.method) return this.sayHello(session, params);
      if (method === LSP_INITIALIZE) return this.initializeEditor(session, params);
      if (!session.helloed) {
        throw new ResponseError(ErrorCodes.HelloRequired, `send ${DaemonHello.method} before ${method}`, {
          kind: 'hello-required',
          hint: `the first request on a connection must be ${DaemonHello.method} with protocolVersion ${PROTOCOL_VERSION} (or LSP initialize with initializationOptions.protocolVersion)`,
        });
      }
      if (session.editor?.handles(method)) {
        try {
          return await session.editor.request(method, params, token);
        } catch (err) {
          throw toResponseError(err);
        }
      }
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      session.inFlight.add(abort);
      try {
        return await dispatch(this.table, method, params, (parsed) => ({
          token,
          signal: abort.signal,
          progress: (fraction, message) => {
            const progressToken = (parsed as { progressToken?: string | number } | undefined)?.progressToken;
            if (progressToken !== undefined) void connection.sendNotification(ProgressDidReport.method, { token: progressToken, value: { fraction, message } });
          },
        }));
      } finally {
        cancelled.dispose();
        session.inFlight.delete(abort);
      }
    });
    connection.onNotification((method, params) => session.editor?.notify(method, params));
    connection.onError(([err]) => this.log.debug('rpc.error', `client ${session.id}: ${err.message}`));
    connection.onClose(() => this.drop(session));
    socket.on('error', () => this.drop(session));
    socket.on('close', () => this.drop(session));
    connection.listen();
  }

  private sayHello(session: Session, raw: unknown): z.input<typeof DaemonHello.result> {
    const parsed = DaemonHello.params.safeParse(Array.isArray(raw) ? raw[0] : raw);
    if (!parsed.success) throw invalidParams(parsed.error.issues);
    checkProtocolVersion(parsed.data.protocolVersion);
    session.helloed = true;
    session.client = parsed.data.client;
    this.log.debug('rpc.hello', `client ${session.id} (${session.client}) connected`);
    return { protocolVersion: PROTOCOL_VERSION, ...this.hello() };
  }

  /** LSP initialize: the same version check as daemon/hello, then an editor session on this connection. */
  private initializeEditor(session: Session, raw: unknown): unknown {
    if (!this.editors) throw new ResponseError(ErrorCodes.MethodNotFound, `unknown method "${LSP_INITIALIZE}"`, { kind: 'method-not-found' });
    if (session.editor) throw new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already sent on this connection', { kind: 'already-initialized' });
    const params = (Array.isArray(raw) ? raw[0] : raw) as { initializationOptions?: unknown } | undefined;
    const options = editorInitializationOptions.safeParse(params?.initializationOptions);
    if (!options.success) throw invalidParams(options.error.issues.map((i) => ({ ...i, path: ['initializationOptions', ...i.path] })));
    checkProtocolVersion(options.data.protocolVersion);
    const editor = this.editors.attach(session.connection, () => setImmediate(() => this.drop(session)), `client ${session.id} (${options.data.client})`);
    let result: unknown;
    try {
      result = editor.initialize(params, { protocolVersion: PROTOCOL_VERSION, ...this.hello() });
    } catch (err) {
      editor.dispose();
      throw err;
    }
    session.editor = editor;
    session.helloed = true;
    session.client = options.data.client;
    this.log.debug('rpc.hello', `client ${session.id} (${session.client}) connected as an editor (LSP)`);
    return result;
  }

  private drop(session: Session): void {
    if (!this.sessions.delete(session)) return;
    for (const abort of session.inFlight) abort.abort();
    session.editor?.dispose();
    session.connection.dispose();
    // dispose() leaves the socket open, and server.close() waits for every socket to end.
    session.socket.destroy();
    // Releases its share of the budget and the partial message it held, at once.
    session.guard.destroy();
    this.log.debug('rpc.bye', `client ${session.id} (${session.client}) left`);
  }
}

function checkProtocolVersion(version: number): void {
  if (version === PROTOCOL_VERSION) return;
  throw new ResponseError(ErrorCodes.ProtocolMismatch, `protocol version ${version} is not supported; this daemon speaks ${PROTOCOL_VERSION}`, {
    kind: 'protocol-mismatch',
    hint: 'update the extension or CLI and the daemon to the same release, then restart the daemon',
    // vscode-languageclient offers a retry only when this is true; retrying cannot help.
    retry: false,
  });
}

/** A socket file left by a crashed daemon refuses connections: remove it. A live one is an error. */
async function removeIfStale(socketPath: string): Promise<void> {
  if (!fs.existsSync(socketPath)) return;
  const alive = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`a daemon is already listening on ${socketPath}`);
  fs.rmSync(socketPath, { force: true });
}
