// The daemon as a language server, driven the way vscode-languageclient drives it: a real
// process, a real socket, LSP messages from vscode-languageserver-protocol (the client library
// itself needs the vscode module, so its wire protocol is spoken here directly).
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResponseError, createMessageConnection, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  DiagnosticSeverity,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRefreshRequest,
  InlayHintRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic,
  type InitializeResult,
  type InlayHint,
  type MarkupContent,
  type PublishDiagnosticsParams,
  type TextDocumentSyncOptions,
} from 'vscode-languageserver-protocol';
import { DatasetsAnnotations, ErrorCodes, PROTOCOL_VERSION, SampleCommands, SamplesAnnotate, SamplesRejudge, StatusGet, type Assessment } from '../../daemon/protocol';
import { workspaceKey } from '../../daemon/shared/daemonPaths';
import { parseJsonlText } from '../../daemon/store/jsonlLines';
import { sampleId } from '../../daemon/store/sampleId';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { streamReader } from '../../daemon/shared/streamReader';

const WAIT_MS = 20_000;

interface LspClient {
  conn: MessageConnection;
  socket: net.Socket;
  result?: InitializeResult & { daemon?: { protocolVersion: number; workspace: string } };
  refreshes: { inlayHint: number; codeLens: number };
  /** The latest diagnostics matching `accept`, waiting for new ones until WAIT_MS. */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams>;
  published(uri: string): PublishDiagnosticsParams[];
  /** Resolves once the daemon has asked for fresh inlay hints and code lenses since `seen` (default: now). */
  refreshed(seen?: { inlayHint: number; codeLens: number }): Promise<void>;
  closed: Promise<void>;
  request<R>(method: string, params: unknown): Promise<R>;
  close(): void;
}

async function connect(socketPath: string): Promise<LspClient> {
  const socket = net.connect(socketPath);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const conn = createMessageConnection(streamReader(socket), new StreamMessageWriter(socket));
  const published = new Map<string, PublishDiagnosticsParams[]>();
  const listeners = new Set<() => void>();
  const refreshes = { inlayHint: 0, codeLens: 0 };
  const notify = () => [...listeners].forEach((l) => l());
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    published.set(p.uri, [...(published.get(p.uri) ?? []), p]);
    notify();
  });
  conn.onRequest(InlayHintRefreshRequest.type, () => {
    refreshes.inlayHint++;
    notify();
  });
  conn.onRequest(CodeLensRefreshRequest.type, () => {
    refreshes.codeLens++;
    notify();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  conn.listen();
  const until = <T>(what: string, check: () => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const listener = () => {
        const hit = check();
        if (hit === undefined) return;
        listeners.delete(listener);
        clearTimeout(timer);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}`));
      }, WAIT_MS);
      listeners.add(listener);
      listener();
    });
  return {
    conn,
    socket,
    refreshes,
    closed,
    published: (uri) => published.get(uri) ?? [],
    diagnostics: (uri, accept = () => true) =>
      until(`diagnostics of ${uri}`, () => {
        const last = published.get(uri)?.at(-1);
        return last && accept(last) ? last : undefined;
      }),
    refreshed: (seen = { ...refreshes }) =>
      until('inlay hint and code lens refresh requests', () => (refreshes.inlayHint > seen.inlayHint && refreshes.codeLens > seen.codeLens ? true : undefined)).then(() => undefined),
    request: (method, params) => conn.sendRequest(method, params),
    close: () => {
      conn.dispose();
      socket.destroy();
    },
  };
}

function initializeParams(ws: TestWorkspace, initializationOptions: unknown) {
  const rootUri = pathToFileURL(ws.dir).href;
  return {
    processId: process.pid,
    clientInfo: { name: 'lsp-contract-test', version: '1' },
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'ws' }],
    capabilities: {
      workspace: { inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        inlayHint: {},
        codeLens: {},
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor'] } } },
        publishDiagnostics: { versionSupport: true },
      },
    },
    initializationOptions,
  };
}

async function editor(ws: TestWorkspace, socketPath: string): Promise<LspClient> {
  const c = await connect(socketPath);
  c.result = await c.conn.sendRequest(InitializeRequest.type, initializeParams(ws, { protocolVersion: PROTOCOL_VERSION, client: 'lsp-test' }) as never);
  await c.conn.sendNotification(InitializedNotification.type, {});
  return c;
}

async function rpcError(p: Promise<unknown>): Promise<ResponseError<{ kind?: string; hint?: string; path?: string }>> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ResponseError, `expected a JSON-RPC error, got ${err}`);
    return err as ResponseError<{ kind?: string; hint?: string; path?: string }>;
  }
  assert.fail('expected the request to fail');
}

/** What a Markdown renderer shows for backslash escapes. */
function unescape(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

const lineOf = (d: { range: { start: { line: number } } }) => d.range.start.line;

describe('the daemon as a language server for JSONL datasets', () => {
  let ws: TestWorkspace;
  let daemon: DaemonProcess;
  let socketPath: string;
  const [good0, good1] = samplesOf('good', 2);
  const [flawed0, flawed1, flawed2] = samplesOf('flawed', 3);
  const unicode = { input: 'Café notes — ünïcödé 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 in the input.', output: 'A café note with 😀.' };
  const lines = [
    JSON.stringify({ input: good0.input, output: good0.output }), // 0 good
    JSON.stringify({ input: flawed0.input, output: flawed0.output }), // 1 flawed
    JSON.stringify({ input: 'an input without an output' }), // 2 invalid
    JSON.stringify({ input: good1.input, output: good1.output }), // 3 good
    '{"input": "unterminated', // 4 invalid
    JSON.stringify({ input: flawed1.input, output: flawed1.output }), // 5 flawed
    JSON.stringify(unicode), // 6 valid, non-ASCII
  ];
  const text = lines.join('\n') + '\n';
  let uri: string;

  before(async () => {
    ws = makeWorkspace('finetuning:\n  threshold: 50\n');
    uri = pathToFileURL(ws.write('data/review.jsonl', text)).href;
    daemon = await startDaemonProcess(ws);
    socketPath = path.join(ws.runtimeDir, `${workspaceKey(ws.dir)}.sock`);
  });
  after(async () => {
    await daemon?.stop();
    ws?.remove();
  });

  const open = (c: LspClient, docUri: string, content: string, version = 1) =>
    c.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: docUri, languageId: 'jsonl', version, text: content } });

  /** Diagnostics after the background judging of the file's lines (line 1 is never annotated by these tests). */
  const judged = (d: PublishDiagnosticsParams) => d.diagnostics.some((x) => lineOf(x) === 1 && x.severity === DiagnosticSeverity.Hint);

  /** The stored assessments of the file's lines, through the custom protocol on the same connection. */
  async function assessments(c: LspClient): Promise<Map<number, Assessment>> {
    const r = await c.request<{ lines: { line: number; assessment?: Assessment }[] }>(DatasetsAnnotations.method, { path: 'data/review.jsonl' });
    return new Map(r.lines.flatMap((l) => (l.assessment ? [[l.line - 1, l.assessment] as const] : [])));
  }

  it('initializes with the protocol version in initializationOptions, then serves the custom methods too', async () => {
    const c = await editor(ws, socketPath);
    const caps = c.result!.capabilities;
    const sync = caps.textDocumentSync as TextDocumentSyncOptions;
    assert.equal(sync.openClose, true);
    assert.equal(sync.change, TextDocumentSyncKind.Incremental);
    assert.ok(caps.hoverProvider);
    assert.ok(caps.inlayHintProvider);
    assert.ok(caps.codeLensProvider);
    assert.ok(caps.codeActionProvider);
    assert.equal(caps.executeCommandProvider, undefined, 'the extension registers the sample commands itself');
    assert.equal(c.result!.serverInfo?.name, 'finetune-daemon');
    assert.equal(c.result!.daemon?.protocolVersion, PROTOCOL_VERSION);
    const status = await c.request<{ threshold: number }>(StatusGet.method, {});
    assert.equal(status.threshold, 50);
    c.close();
  });

  it('refuses requests before initialize, another protocol version, and missing initializationOptions', async () => {
    const c = await connect(socketPath);
    assert.equal((await rpcError(c.request(StatusGet.method, {}))).code, ErrorCodes.HelloRequired);
    assert.equal((await rpcError(c.request(HoverRequest.method, { textDocument: { uri }, position: { line: 0, character: 0 } }))).code, ErrorCodes.HelloRequired);
    const mismatch = await rpcError(c.conn.sendRequest(InitializeRequest.type, initializeParams(ws, { protocolVersion: 999, client: 'old' }) as never));
    assert.equal(mismatch.code, ErrorCodes.ProtocolMismatch);
    assert.match(mismatch.message, /999/);
    assert.ok(mismatch.data?.hint);
    const missing = await rpcError(c.conn.sendRequest(InitializeRequest.type, initializeParams(ws, undefined) as never));
    assert.equal(missing.code, ErrorCodes.InvalidParams);
    assert.match(missing.data?.path ?? '', /^initializationOptions/);
    // Still not helloed after the refusals.
    assert.equal((await rpcError(c.request(StatusGet.method, {}))).code, ErrorCodes.HelloRequired);
    c.close();
  });

  it('publishes the store\'s message on invalid lines and a hint naming the weakest criterion on low-quality ones', async () => {
    const c = await editor(ws, socketPath);
    await open(c, uri, text);
    // New lines are judged in the background (heuristic judge), then diagnostics are republished.
    const d = await c.diagnostics(uri, judged);
    assert.equal(d.version, 1);
    const store = parseJsonlText(text);
    const errors = d.diagnostics.filter((x) => x.severity === DiagnosticSeverity.Error);
    assert.deepEqual(errors.map(lineOf), [2, 4]);
    assert.equal(errors[0].message, 'missing "output"');
    assert.equal(errors[1].message, store[4].error);
    assert.deepEqual(errors[0].range, { start: { line: 2, character: 0 }, end: { line: 2, character: lines[2].length } });
    const hints = d.diagnostics.filter((x) => x.severity === DiagnosticSeverity.Hint);
    assert.deepEqual(hints.map(lineOf), [1, 5, 6], 'the flawed samples, and the unicode one (a poor summary)');
    const scores = await assessments(c);
    for (const h of hints) {
      const a = scores.get(lineOf(h))!;
      const weakest = Object.entries(a.scores).sort((x, y) => x[1] - y[1])[0];
      assert.match(String(h.message), new RegExp(`weakest criterion: ${weakest[0]} ${weakest[1].toFixed(2)}`));
      assert.match(String(h.message), new RegExp(`average ${a.average.toFixed(2)}`));
    }
    assert.equal(d.diagnostics.length, 5, 'good lines have no diagnostics');
    c.close();
  });

  it('shows ✓/✗ with the average as inlay hints at the end of each valid line, for the requested range only', async () => {
    const c = await editor(ws, socketPath);
    await open(c, uri, text);
    await c.diagnostics(uri, judged);
    const scores = await assessments(c);
    const first = await c.request<InlayHint[]>(InlayHintRequest.method, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } } });
    assert.deepEqual(first.map((h) => h.position.line), [0, 1, 3], 'no hint on the invalid line 2, none past the range');
    assert.equal(first[0].label, `✓ ${scores.get(0)!.average.toFixed(2)}`);
    assert.equal(first[1].label, `✗ ${scores.get(1)!.average.toFixed(2)}`);
    assert.equal(first[2].label, `✓ ${scores.get(3)!.average.toFixed(2)}`);
    assert.equal(first[0].position.character, lines[0].length);
    assert.ok(first[0].tooltip, 'a tooltip explains the verdict');
    const rest = await c.request<InlayHint[]>(InlayHintRequest.method, { textDocument: { uri }, range: { start: { line: 5, character: 0 }, end: { line: 7, character: 0 } } });
    assert.deepEqual(rest.map((h) => h.position.line), [5, 6]);
    // Positions count UTF-16 code units, as the editor does (the line has accents and astral characters).
    assert.deepEqual(rest[1].position, { line: 6, character: lines[6].length });
    c.close();
  });

  it('hovers with every criterion\'s score and rationale, the judge, and the verdict against the gate', async () => {
    const c = await editor(ws, socketPath);
    await open(c, uri, text);
    await c.diagnostics(uri, judged);
    const a = (await assessments(c)).get(1)!;
    const h = await c.request<{ contents: MarkupContent; range: unknown }>(HoverRequest.method, { textDocument: { uri }, position: { line: 1, character: 5 } });
    assert.equal(h.contents.kind, 'markdown');
    const shown = unescape(h.contents.value);
    assert.equal(Object.keys(a.scores).length, 4);
    for (const [name, score] of Object.entries(a.scores)) {
      const raw = a.raw && a.raw[name] !== score ? ` (raw ${a.raw[name].toFixed(2)}, calibrated)` : '';
      assert.ok(shown.includes(`**${name}** ${score.toFixed(2)}${raw} — ${a.rationale[name].replace(/\s+/g, ' ').trim()}`), `${name} in:\n${shown}`);
    }
    assert.match(shown, /Rejected/);
    // The average against the gate, and the floor that rejected the sample when the average did not.
    assert.ok(shown.includes(`average **${a.average.toFixed(2)}** ${a.average > 0.8 ? '>' : '≤'} gate 0.80`), shown);
    assert.ok(a.rejectedBy, 'the flawed sample was rejected by a rule');
    if (!a.rejectedBy.startsWith('average')) assert.ok(shown.includes(`but **${a.rejectedBy}**`), shown);
    assert.ok(shown.includes(`Judge: ${a.judge} · version ${a.judgeVersion}`), shown);
    assert.deepEqual(h.range, { start: { line: 1, character: 0 }, end: { line: 1, character: lines[1].length } });
    // Nothing on an invalid line or past the end.
    assert.equal(await c.request(HoverRequest.method, { textDocument: { uri }, position: { line: 2, character: 1 } }), null);
    assert.equal(await c.request(HoverRequest.method, { textDocument: { uri }, position: { line: 40, character: 0 } }), null);
    c.close();
  });

  it('escapes people\'s and judges\' text in hovers (no Markdown, HTML or links from a note)', async () => {
    const c = await editor(ws, socketPath);
    await open(c, uri, text);
    await c.diagnostics(uri, judged);
    const note = '<img src=x onerror=alert(1)> **bold** [click](command:workbench.action.quit) `code`';
    await c.request(SamplesAnnotate.method, { id: sampleId(good1), action: 'note', note });
    const h = await c.request<{ contents: MarkupContent }>(HoverRequest.method, { textDocument: { uri }, position: { line: 3, character: 0 } });
    const raw = h.contents.value;
    const noteLine = raw.split('\n').find((l) => l.startsWith('Note: '))!;
    // Every character Markdown or HTML would act on is backslash-escaped.
    assert.doesNotMatch(noteLine.slice('Note: '.length), /(^|[^\\])[<>[\]()*`:]/, noteLine);
    assert.equal(unescape(noteLine), `Note: ${note}`);
    c.close();
  });

  it('puts the sample commands, with the sample id, URI and line, in code lenses and code actions', async () => {
    const c = await editor(ws, socketPath);
    await open(c, uri, text);
    const d = await c.diagnostics(uri, judged);
    const lenses = await c.request<{ range: { start: { line: number } }; command: { title: string; command: string; arguments?: unknown[] } }[]>(CodeLensRequest.method, { textDocument: { uri } });
    const samples: Record<number, { input: string; output: string }> = { 0: good0, 1: flawed0, 3: good1, 5: flawed1, 6: unicode };
    assert.deepEqual([...new Set(lenses.map(lineOf))], [0, 1, 3, 5, 6], 'lenses on sample lines only');
    for (const [line, sample] of Object.entries(samples)) {
      const here = lenses.filter((l) => lineOf(l) === Number(line));
      assert.deepEqual(here.map((l) => l.command.command), ['', SampleCommands.accept, SampleCommands.reject, SampleCommands.rejudge], 'the verdict, then the actions');
      for (const l of here.slice(1)) assert.deepEqual(l.command.arguments, [{ id: sampleId(sample), uri, line: Number(line) }]);
    }
    // The verdict, its average and the rule that decided sit above the line, not at its far end.
    const verdict = (line: number) => lenses.find((l) => lineOf(l) === line)!.command.title;
    for (const [line, a] of await assessments(c)) {
      const rule = a.rejectedBy?.replace(/^average \S+ /, 'average ');
      assert.equal(verdict(line), `${a.verdict === 'accepted' ? '✓' : '✗'} ${a.average.toFixed(2)}${rule ? ` · ${rule}` : ''}`, `line ${line}`);
    }
    assert.match(verdict(1), /^✗ \d\.\d\d · (\w+ \d\.\d\d < [\d.]+|average ≤ [\d.]+)$/, 'a rejected line names the rule');
    const hint = d.diagnostics.find((x) => lineOf(x) === 1 && x.severity === DiagnosticSeverity.Hint)!;
    const actions = await c.request<CodeAction[]>(CodeActionRequest.method, {
      textDocument: { uri },
      range: { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } },
      context: { diagnostics: [hint] },
    });
    assert.deepEqual(actions.map((a) => a.command?.command), [SampleCommands.accept, SampleCommands.reject, SampleCommands.correct, SampleCommands.rejudge]);
    for (const a of actions) {
      assert.equal(a.kind, 'quickfix');
      assert.deepEqual(a.command?.arguments, [{ id: sampleId(flawed0), uri, line: 1 }]);
    }
    assert.deepEqual((actions[0].diagnostics as Diagnostic[]).map((x) => x.message), [hint.message], 'accepting fixes the low-quality hint');
    const none = (line: number, only?: string[]) =>
      c.request<CodeAction[]>(CodeActionRequest.method, { textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, context: { diagnostics: [], only } });
    assert.deepEqual(await none(2), [], 'no actions on an invalid line');
    assert.deepEqual(await none(0, ['refactor']), [], 'only quick fixes are offered');
    c.close();
  });

  it('judges an edited line as a new sample in the background, then republishes and asks for fresh hints', async () => {
    const c = await editor(ws, socketPath);
    await open(c, uri, text);
    await c.diagnostics(uri, judged);
    const before = { ...c.refreshes };
    const edited = JSON.stringify({ input: flawed2.input, output: flawed2.output });
    await c.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: lines[0].length } }, text: edited }],
    });
    // The new sample was unknown: a hint on line 0 means it was judged after the edit.
    const d = await c.diagnostics(uri, (p) => p.version === 2 && p.diagnostics.some((x) => lineOf(x) === 0 && x.severity === DiagnosticSeverity.Hint));
    assert.deepEqual(d.diagnostics.filter((x) => x.severity === DiagnosticSeverity.Hint).map(lineOf).slice(0, 2), [0, 1]);
    await c.refreshed(before);
    const [hint] = await c.request<InlayHint[]>(InlayHintRequest.method, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    assert.match(String(hint.label), /^✗ 0\.\d\d$/);
    assert.equal(hint.position.character, edited.length);
    const lenses = await c.request<{ range: { start: { line: number } }; command: { arguments?: { id: string }[] } }[]>(CodeLensRequest.method, { textDocument: { uri } });
    assert.equal(lenses.find((l) => lineOf(l) === 0 && l.command.arguments)?.command.arguments![0].id, sampleId(flawed2), 'the edited line is a new sample');
    // The file on disk is untouched.
    assert.equal(ws.read('data/review.jsonl'), text);
    c.close();
  });

  it('keeps CRLF documents and several changes in one didChange in step with the text', async () => {
    const c = await editor(ws, socketPath);
    const crlfUri = pathToFileURL(ws.write('data/crlf.jsonl', '')).href;
    const crlf = [lines[0], lines[2], lines[3]].join('\r\n') + '\r\n';
    await open(c, crlfUri, crlf);
    const first = await c.diagnostics(crlfUri);
    assert.deepEqual(
      first.diagnostics.map((d) => d.range),
      [{ start: { line: 1, character: 0 }, end: { line: 1, character: lines[2].length } }],
      'the CR of CRLF is not part of the line',
    );
    // Two changes, the second in the text the first left: fix line 1, then insert a broken line above everything.
    await c.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri: crlfUri, version: 2 },
      contentChanges: [
        { range: { start: { line: 1, character: lines[2].length - 1 }, end: { line: 1, character: lines[2].length - 1 } }, text: ', "output": "fixed"' },
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '[1, 2]\r\n' },
      ],
    });
    const second = await c.diagnostics(crlfUri, (p) => p.version === 2);
    assert.deepEqual(
      second.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => [lineOf(d), d.message]),
      [[0, 'not a JSON object: got array']],
    );
    const hints = await c.request<InlayHint[]>(InlayHintRequest.method, { textDocument: { uri: crlfUri }, range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } } });
    assert.deepEqual(
      hints.map((h) => h.position),
      [
        { line: 1, character: lines[0].length },
        { line: 2, character: lines[2].length + ', "output": "fixed"'.length },
        { line: 3, character: lines[3].length },
      ],
    );
    c.close();
  });

  it('re-judges on request (samples/rejudge) by line or by id, ignoring the stored verdict', async () => {
    const c = await editor(ws, socketPath);
    await open(c, uri, text);
    await c.diagnostics(uri, judged);
    const stored = (await assessments(c)).get(3)!;
    const byLine = await c.request<{ id: string; assessment: Assessment }>(SamplesRejudge.method, { uri, line: 3 });
    assert.equal(byLine.id, sampleId(good1));
    assert.equal(byLine.assessment.verdict, 'accepted');
    assert.ok(byLine.assessment.at > stored.at, 'judged again, not served from the store');
    const byId = await c.request<{ id: string; assessment: Assessment }>(SamplesRejudge.method, { id: sampleId(flawed0) });
    assert.equal(byId.assessment.verdict, 'rejected');
    const invalid = await rpcError(c.request(SamplesRejudge.method, { uri, line: 2 }));
    assert.equal(invalid.code, ErrorCodes.SampleNotFound);
    assert.match(invalid.message, /missing "output"/);
    assert.equal((await rpcError(c.request(SamplesRejudge.method, { id: 'f'.repeat(32) }))).code, ErrorCodes.SampleNotFound);
    c.close();
  });

  it('shows a person\'s accept at once: fresh hints and no low-quality hint', async () => {
    const c = await editor(ws, socketPath);
    await open(c, uri, text);
    await c.diagnostics(uri, judged);
    const refreshed = c.refreshed();
    await c.request(SamplesAnnotate.method, { id: sampleId(flawed1), action: 'accept' });
    await refreshed;
    const d = await c.diagnostics(uri, (p) => !p.diagnostics.some((x) => lineOf(x) === 5));
    assert.deepEqual(d.diagnostics.filter((x) => x.severity === DiagnosticSeverity.Hint).map(lineOf), [1, 6]);
    const [hint] = await c.request<InlayHint[]>(InlayHintRequest.method, { textDocument: { uri }, range: { start: { line: 5, character: 0 }, end: { line: 5, character: 9 } } });
    assert.match(String(hint.label), /^✓ 0\.\d\d \(accepted by hand\)$/);
    c.close();
  });

  it('gives documents outside dataset.glob, and non-file documents, no features', async () => {
    const c = await editor(ws, socketPath);
    const outside = pathToFileURL(ws.write('notes/review.jsonl', text)).href;
    const hidden = pathToFileURL(ws.write('data/.flywheel-copy/review.jsonl', text)).href;
    const untitled = 'untitled:Untitled-1';
    for (const u of [outside, hidden, untitled]) await open(c, u, text);
    const second = pathToFileURL(ws.write('data/more/second.jsonl', lines[2] + '\n')).href;
    await open(c, second, lines[2] + '\n');
    // Opened after the others, with the same delay: once it has diagnostics, they would have too.
    const d = await c.diagnostics(second);
    assert.deepEqual(d.diagnostics.map((x) => x.message), ['missing "output"']);
    for (const u of [outside, hidden, untitled]) {
      assert.deepEqual(c.published(u), [], u);
      const range = { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } };
      assert.deepEqual(await c.request(InlayHintRequest.method, { textDocument: { uri: u }, range }), []);
      assert.equal(await c.request(HoverRequest.method, { textDocument: { uri: u }, position: { line: 0, character: 0 } }), null);
      assert.deepEqual(await c.request(CodeLensRequest.method, { textDocument: { uri: u } }), []);
      assert.deepEqual(await c.request(CodeActionRequest.method, { textDocument: { uri: u }, range, context: { diagnostics: [] } }), []);
    }
    c.close();
  });

  it('reads a dataset from disk when the editor has not sent its text', async () => {
    const c = await editor(ws, socketPath);
    const h = await c.request<{ contents: MarkupContent } | null>(HoverRequest.method, { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.match(unescape(h!.contents.value), /Accepted/);
    const hints = await c.request<InlayHint[]>(InlayHintRequest.method, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } } });
    assert.deepEqual(hints.map((x) => x.position.line), [0, 1, 3, 5, 6]);
    c.close();
  });

  it('ends only its own session on shutdown and exit; other clients and the daemon carry on', async () => {
    const leaving = await editor(ws, socketPath);
    const staying = await editor(ws, socketPath);
    await open(leaving, uri, text);
    await open(staying, uri, text);
    await leaving.diagnostics(uri, judged);
    await staying.diagnostics(uri, judged);
    assert.equal(await leaving.conn.sendRequest(ShutdownRequest.type), null);
    assert.equal((await rpcError(leaving.request(HoverRequest.method, { textDocument: { uri }, position: { line: 0, character: 0 } }))).code, -32600);
    await leaving.conn.sendNotification(ExitNotification.type);
    await leaving.closed;
    leaving.close();
    const h = await staying.request<{ contents: MarkupContent } | null>(HoverRequest.method, { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.ok(h?.contents.value);
    const cli = await daemon.connect('after-exit');
    assert.equal((await cli.request(StatusGet, {})).threshold, 50);
    cli.close();
    assert.equal(daemon.proc.exitCode, null, 'the daemon is still running');
    staying.close();
  });
});
