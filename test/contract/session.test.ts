import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc';
import { DaemonClient } from '../../daemon/client/DaemonClient';
import { ErrorCodes, SamplesSubmit, StatusDidChange, StatusGet, DatasetsIngest, type Status } from '../../daemon/protocol';
import { workspaceKey } from '../../daemon/shared/daemonPaths';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { streamReader } from '../../daemon/shared/streamReader';

async function rpcError(p: Promise<unknown>): Promise<ResponseError<{ kind: string; path?: string; hint?: string }>> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ResponseError, `expected a JSON-RPC error, got ${err}`);
    return err as ResponseError<{ kind: string; path?: string; hint?: string }>;
  }
  assert.fail('expected the request to fail');
}

describe('daemon sessions over the socket', () => {
  let ws: TestWorkspace;
  let daemon: DaemonProcess;

  before(async () => {
    ws = makeWorkspace('finetuning:\n  threshold: 50\n');
    daemon = await startDaemonProcess(ws);
  });
  after(async () => {
    await daemon.stop();
    ws.remove();
  });

  it('serves two clients at once and notifies both of a status change', async () => {
    const a = await daemon.connect('a');
    const b = await daemon.connect('b');
    const seen = (c: DaemonClient) => new Promise<Status>((resolve) => c.on(StatusDidChange, resolve));
    const [sa, sb] = [seen(a), seen(b)];
    const [good] = samplesOf('good', 1);
    const r = await a.request(SamplesSubmit, { sample: { input: good.input, output: good.output } });
    assert.equal(r.assessment.verdict, 'accepted');
    assert.equal(r.stored, true);
    assert.equal((await sa).collected, 1);
    assert.equal((await sb).collected, 1);
    a.close();
    b.close();
  });

  it('keeps serving after a client leaves', async () => {
    const a = await daemon.connect('leaver');
    a.close();
    const b = await daemon.connect('stayer');
    assert.equal((await b.request(StatusGet, {})).threshold, 50);
    b.close();
  });

  it('refuses requests before hello, and a protocol mismatch', async () => {
    const socket = path.join(ws.runtimeDir, `${workspaceKey(ws.dir)}.sock`);
    const raw = await rawConnection(socket);
    const before = await rpcError(raw.sendRequest('status/get', {}));
    assert.equal(before.code, ErrorCodes.HelloRequired);
    const mismatch = await rpcError(raw.sendRequest('daemon/hello', { protocolVersion: 999, client: 'old' }));
    assert.equal(mismatch.code, ErrorCodes.ProtocolMismatch);
    assert.match(mismatch.message, /999/);
    assert.ok(mismatch.data?.hint);
    raw.dispose();
  });

  it('answers invalid params with -32602 and the field path, unknown methods with -32601', async () => {
    const c = await daemon.connect();
    const bad = await rpcError(c.requestRaw('samples/submit', { sample: { input: 'x', output: 42 } }));
    assert.equal(bad.code, -32602);
    assert.equal(bad.data?.path, 'sample.output');
    assert.match(bad.message, /sample\.output/);
    const unknown = await rpcError(c.requestRaw('samples/explode', {}));
    assert.equal(unknown.code, -32601);
    c.close();
  });

  it('refuses paths outside the workspace', async () => {
    const c = await daemon.connect();
    for (const p of ['../../etc/passwd', '/etc/passwd']) {
      const err = await rpcError(c.request(DatasetsIngest, { path: p }));
      assert.equal(err.code, ErrorCodes.PathOutsideWorkspace, p);
    }
    c.close();
  });

  it('says a folder is not a dataset file, instead of failing inside', async () => {
    const c = await daemon.connect();
    ws.write('incoming/a.jsonl', '');
    const err = await rpcError(c.request(DatasetsIngest, { path: 'incoming' }));
    assert.equal(err.code, ErrorCodes.FileNotFound);
    assert.match(err.message, /incoming: is a folder/);
    assert.ok(err.data?.hint);
    c.close();
  });

  it('closes a connection that sends a bad frame, and keeps serving others', async () => {
    const socket = path.join(ws.runtimeDir, `${workspaceKey(ws.dir)}.sock`);
    for (const frame of ['Content-Length: 99999999999\r\n\r\n', 'X'.repeat(20_000), 'Content-Length: 5\r\n\r\n{{{{{']) {
      const s = net.connect(socket);
      await new Promise<void>((resolve) => {
        s.on('connect', () => s.write(frame));
        s.on('close', () => resolve());
        s.on('error', () => resolve());
        // A frame that parses but is not JSON-RPC leaves the socket open: close it ourselves after a reply window.
        setTimeout(() => s.destroy(), 2000).unref();
      });
    }
    const c = await daemon.connect();
    assert.equal((await c.request(StatusGet, {})).threshold, 50);
    c.close();
  });
});

async function rawConnection(socketPath: string) {
  const { createMessageConnection, StreamMessageWriter } = await import('vscode-jsonrpc/node');
  const s = net.connect(socketPath);
  await new Promise((r) => s.once('connect', r));
  const conn = createMessageConnection(streamReader(s), new StreamMessageWriter(s));
  conn.listen();
  return { sendRequest: (m: string, p: unknown) => conn.sendRequest(m, p), dispose: () => (conn.dispose(), s.destroy()) };
}
