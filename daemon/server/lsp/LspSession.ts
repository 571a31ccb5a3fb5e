// One editor connection speaking LSP (vscode-languageclient over the daemon socket): its open
// documents, its debounced diagnostics and background judging, and its refresh requests.
// The socket server owns the connection; `shutdown` only ends this session's LSP state and
// `exit` only closes this connection; the daemon keeps serving everyone else.
import type { CancellationToken, MessageConnection } from 'vscode-jsonrpc';
import {
  CodeActionKind,
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InlayHintRefreshRequest,
  InlayHintRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type InlayHint,
} from 'vscode-languageserver-protocol';
import type { z } from 'zod';
import type { Logger } from '../../log';
import { invalidParams } from '../dispatch';
import { codeActions, codeLenses, diagnostics, hover, inlayHints, Limits } from './features';
import type { LineInfo } from './lines';
import { readDiskLines } from './lines';
import type { LspService } from './LspService';
import { OpenDocument } from './OpenDocument';
import * as P from './params';

/** Diagnostics follow the last change by this long; background judging by JUDGE_DELAY_MS. */
export const DIAGNOSTICS_DELAY_MS = 300;
export const JUDGE_DELAY_MS = 500;
/** After new verdicts: republish and ask for fresh hints and lenses, coalesced. */
const REFRESH_DELAY_MS = 50;

/** What the socket server needs of an editor session. */
export interface EditorSession {
  readonly isShutdown: boolean;
  initialize(params: unknown, daemon: Record<string, unknown>): InitializeResult & { daemon: Record<string, unknown> };
  handles(method: string): boolean;
  request(method: string, params: unknown, token: CancellationToken): Promise<unknown>;
  notify(method: string, params: unknown): void;
  dispose(): void;
}

const REQUESTS = new Set<string>([ShutdownRequest.method, HoverRequest.method, InlayHintRequest.method, CodeLensRequest.method, CodeActionRequest.method]);

export class LspSession implements EditorSession {
  private readonly docs = new Map<string, OpenDocument>();
  private refreshSupport = { inlayHint: false, codeLens: false };
  private shutdownRequested = false;
  private disposed = false;
  private trace = 'off';
  /** Documents to republish on the next refresh tick, or all of them. */
  private pending: Set<OpenDocument> | 'all' = new Set();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly service: LspService,
    private readonly connection: MessageConnection,
    private readonly end: () => void,
    private readonly log: Logger,
    readonly label: string,
  ) {}

  get isShutdown(): boolean {
    return this.shutdownRequested;
  }

  initialize(raw: unknown, daemon: Record<string, unknown>): InitializeResult & { daemon: Record<string, unknown> } {
    const params = parse(P.initialize, raw);
    this.refreshSupport = {
      inlayHint: params.capabilities.workspace?.inlayHint?.refreshSupport === true,
      codeLens: params.capabilities.workspace?.codeLens?.refreshSupport === true,
    };
    this.log.debug('lsp.initialize', `${this.label}: ${params.clientInfo?.name ?? 'an LSP client'} initialized`);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        inlayHintProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'finetune-daemon', version: String(daemon.daemonVersion ?? '') },
      // Not LSP: the daemon/hello result, so an editor client gets the same handshake facts.
      daemon,
    };
  }

  handles(method: string): boolean {
    return REQUESTS.has(method);
  }

  async request(method: string, raw: unknown, token: CancellationToken): Promise<unknown> {
    switch (method) {
      case ShutdownRequest.method:
        this.shutdownRequested = true;
        this.reset();
        this.log.debug('lsp.shutdown', `${this.label}: shutdown`);
        return null;
      case HoverRequest.method:
        return this.hover(parse(P.hover, raw), token);
      case InlayHintRequest.method:
        return this.inlayHints(parse(P.inlayHint, raw), token);
      case CodeLensRequest.method:
        return this.codeLenses(parse(P.codeLens, raw), token);
      case CodeActionRequest.method:
        return this.codeActions(parse(P.codeAction, raw), token);
    }
    return null;
  }

  notify(method: string, raw: unknown): void {
    // After shutdown only exit counts (LSP).
    if (this.disposed || (this.shutdownRequested && method !== ExitNotification.method)) return;
    try {
      switch (method) {
        case DidOpenTextDocumentNotification.method:
          return this.didOpen(parse(P.didOpen, raw));
        case DidChangeTextDocumentNotification.method:
          return this.didChange(parse(P.didChange, raw));
        case DidCloseTextDocumentNotification.method:
          return this.didClose(parse(P.didClose, raw));
        case ExitNotification.method:
          this.dispose();
          return this.end();
        case '$/setTrace':
          this.trace = parse(P.setTrace, raw).value;
          return this.log.debug('lsp.trace', `${this.label}: trace ${this.trace}`);
      }
      // initialized, didSave, configuration changes and the rest need nothing.
    } catch (err) {
      this.log.warn('lsp.notification', `${this.label}: ${method}: ${(err as Error).message}`);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.reset();
    this.service.detach(this);
  }

  /** The open document with this URI, if this session has it open. */
  document(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  documents(): Iterable<OpenDocument> {
    return this.docs.values();
  }

  /** New verdicts or annotations: republish the documents they touch and ask for fresh hints. */
  changed(ids: ReadonlySet<string> | 'all'): void {
    if (this.disposed || this.shutdownRequested) return;
    if (ids === 'all') this.pending = 'all';
    else if (this.pending !== 'all') {
      for (const doc of this.docs.values()) {
        for (const id of ids) {
          if (doc.ids.has(id)) {
            this.pending.add(doc);
            break;
          }
        }
      }
      if (this.pending.size === 0) return;
    }
    this.refreshTimer ??= setTimeout(() => this.refresh(), REFRESH_DELAY_MS).unref();
  }

  private refresh(): void {
    this.refreshTimer = undefined;
    if (this.disposed) return;
    const docs = this.pending === 'all' ? [...this.docs.values()] : [...this.pending];
    this.pending = new Set();
    for (const doc of docs) this.publishDiagnostics(doc);
    const failed = (what: string) => (err: Error) => this.log.debug('lsp.refresh', `${this.label}: ${what} refresh failed: ${err.message}`);
    if (this.refreshSupport.inlayHint) this.connection.sendRequest(InlayHintRefreshRequest.type).catch(failed('inlay hint'));
    if (this.refreshSupport.codeLens) this.connection.sendRequest(CodeLensRefreshRequest.type).catch(failed('code lens'));
  }

  // -------------------------------------------------------------------------------------------
  // Documents

  private didOpen(p: z.output<typeof P.didOpen>): void {
    const { uri, languageId, version, text } = p.textDocument;
    const old = this.docs.get(uri);
    if (old) this.forget(old);
    const doc = new OpenDocument(uri, languageId, version, text);
    this.docs.set(uri, doc);
    this.schedule(doc);
  }

  private didChange(p: z.output<typeof P.didChange>): void {
    const doc = this.docs.get(p.textDocument.uri);
    if (!doc) return this.log.debug('lsp.change', `${this.label}: change to ${p.textDocument.uri}, which is not open`);
    doc.update(p.contentChanges, p.textDocument.version);
    this.schedule(doc);
  }

  private didClose(p: z.output<typeof P.didClose>): void {
    const doc = this.docs.get(p.textDocument.uri);
    if (!doc) return;
    this.docs.delete(doc.uri);
    this.forget(doc);
    if (doc.published) this.send(doc.uri, undefined, []);
  }

  private schedule(doc: OpenDocument): void {
    clearTimeout(doc.diagnosticsTimer);
    clearTimeout(doc.judgeTimer);
    doc.diagnosticsTimer = setTimeout(() => this.publishDiagnostics(doc), DIAGNOSTICS_DELAY_MS).unref();
    doc.judgeTimer = setTimeout(() => void this.judgeUnjudged(doc), JUDGE_DELAY_MS).unref();
  }

  private forget(doc: OpenDocument): void {
    clearTimeout(doc.diagnosticsTimer);
    clearTimeout(doc.judgeTimer);
    doc.generation++;
  }

  private reset(): void {
    for (const doc of this.docs.values()) this.forget(doc);
    this.docs.clear();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.pending = new Set();
  }

  private publishDiagnostics(doc: OpenDocument): void {
    if (this.disposed || this.docs.get(doc.uri) !== doc) return;
    if (!this.service.matcher.match(doc.uri)) {
      doc.ids.clear();
      if (doc.published) this.send(doc.uri, doc.version, []);
      doc.published = false;
      return;
    }
    this.send(doc.uri, doc.version, diagnostics(doc.all(this.service.limits), this.service.lookup()));
    doc.published = true;
  }

  private send(uri: string, version: number | undefined, list: Diagnostic[]): void {
    this.connection
      .sendNotification(PublishDiagnosticsNotification.type, { uri, ...(version !== undefined ? { version } : {}), diagnostics: list })
      .catch((err: Error) => this.log.debug('lsp.diagnostics', `${this.label}: ${err.message}`));
  }

  /** Lines nobody has judged yet are judged in the background, when the judge is cheap. */
  private async judgeUnjudged(doc: OpenDocument): Promise<void> {
    if (this.disposed || this.docs.get(doc.uri) !== doc || !this.service.judgesInBackground || !this.service.matcher.match(doc.uri)) return;
    const generation = doc.generation;
    const lookup = this.service.lookup();
    const seen = new Set<string>();
    const todo: { id: string; sample: NonNullable<LineInfo['sample']> }[] = [];
    const limits = this.service.limits;
    for (const l of doc.all(limits)) {
      if (!l.id || seen.has(l.id)) continue;
      seen.add(l.id);
      if (lookup.view(l.id).assessment) continue;
      const sample = doc.sample(l, limits);
      if (sample) todo.push({ id: l.id, sample });
    }
    if (todo.length === 0) return;
    await this.service.judgeInBackground(todo, () => this.disposed || doc.generation !== generation);
  }

  // -------------------------------------------------------------------------------------------
  // Features

  /** Lines `from`..`to` of a dataset document: the open text, else the file on disk; undefined for other documents. */
  private async lines(uri: string, from: number, to: number): Promise<LineInfo[] | undefined> {
    const dataset = this.service.matcher.match(uri);
    if (!dataset) return undefined;
    const open = this.docs.get(uri);
    if (open) return open.lines(from, to, this.service.limits);
    const file = this.service.matcher.onDisk(dataset);
    return file ? readDiskLines(file, from, to, this.service.limits) : undefined;
  }

  private async hover(p: z.output<typeof P.hover>, token: CancellationToken): Promise<Hover | null> {
    const lines = await this.lines(p.textDocument.uri, p.position.line, p.position.line);
    if (!lines || token.isCancellationRequested) return null;
    const line = lines.find((l) => l.range.start.line <= p.position.line && p.position.line <= l.range.end.line);
    return line ? hover(line, this.service.lookup()) : null;
  }

  private async inlayHints(p: z.output<typeof P.inlayHint>, token: CancellationToken): Promise<InlayHint[]> {
    const from = p.range.start.line;
    const to = Math.min(p.range.end.line, from + Limits.hintsPerRequest - 1);
    const lines = await this.lines(p.textDocument.uri, from, to);
    if (!lines || token.isCancellationRequested) return [];
    return inlayHints(lines, this.service.lookup());
  }

  private async codeLenses(p: z.output<typeof P.codeLens>, token: CancellationToken): Promise<CodeLens[]> {
    const uri = p.textDocument.uri;
    const open = this.docs.get(uri);
    const lines = open && this.service.matcher.match(uri) ? open.all(this.service.limits) : await this.lines(uri, 0, Limits.lensLines - 1);
    if (!lines || token.isCancellationRequested) return [];
    return codeLenses(lines, uri, this.service.lookup());
  }

  private async codeActions(p: z.output<typeof P.codeAction>, token: CancellationToken): Promise<CodeAction[]> {
    const from = p.range.start.line;
    const lines = await this.lines(p.textDocument.uri, from, Math.min(p.range.end.line, from + Limits.actionLines - 1));
    if (!lines || token.isCancellationRequested) return [];
    return codeActions(lines, p.textDocument.uri, p.context as { diagnostics: Diagnostic[]; only?: string[] });
  }
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(Array.isArray(raw) && raw.length === 1 ? raw[0] : raw);
  if (!parsed.success) throw invalidParams(parsed.error.issues);
  return parsed.data;
}
