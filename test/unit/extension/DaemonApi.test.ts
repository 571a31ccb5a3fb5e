import { strict as assert } from 'node:assert';
import type { ProgressType } from 'vscode-jsonrpc';
import { DatasetsDidChange, ModelsList, StatusDidChange, StatusGet } from '../../../daemon/protocol';
import { DaemonApi, type RpcClient } from '../../../extension/daemon/DaemonApi';
import { DaemonDownError } from '../../../extension/errors';
import { aStatus } from './fixtures';

/** A stand-in for the language client: answers from a table, delivers notifications on demand. */
class FakeClient implements RpcClient {
  readonly sent: { method: string; params: unknown; args: number }[] = [];
  readonly handlers = new Map<string, (p: unknown) => void>();
  readonly progress = new Map<string | number, (v: unknown) => void>();
  constructor(private readonly answers: Record<string, unknown>) {}
  async sendRequest(method: string, ...rest: unknown[]): Promise<unknown> {
    this.sent.push({ method, params: rest[0], args: rest.length });
    return this.answers[method];
  }
  onNotification(method: string, handler: (p: unknown) => void) {
    this.handlers.set(method, handler);
    return { dispose: () => this.handlers.delete(method) };
  }
  onProgress(_t: ProgressType<unknown>, token: string | number, handler: (v: unknown) => void) {
    this.progress.set(token, handler);
    return { dispose: () => this.progress.delete(token) };
  }
  notify(method: string, params: unknown) {
    this.handlers.get(method)?.(params);
  }
}

describe('extension DaemonApi', () => {
  it('sends the method and one params object, and parses the result with the shared schema', async () => {
    const client = new FakeClient({ 'status/get': aStatus() });
    const api = new DaemonApi(() => client);
    const s = await api.request(StatusGet, {});
    assert.equal(s.remaining, 37);
    // No trailing undefined token: the client would send [params, null] by position.
    assert.deepEqual(client.sent, [{ method: 'status/get', params: {}, args: 1 }]);
    const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
    await api.request(StatusGet, {}, token);
    assert.equal(client.sent[1].args, 2);
  });

  it('refuses an answer that does not match the protocol (a drifted daemon), naming the field', async () => {
    const api = new DaemonApi(() => new FakeClient({ 'models/list': [{ version: 'v1' }] }));
    await assert.rejects(api.request(ModelsList, {}), /models\/list does not match the protocol \(0\.current:/);
  });

  it('throws DaemonDownError with the reason while there is no connection', async () => {
    const api = new DaemonApi(() => ({ down: 'the connection to the daemon closed' }));
    assert.equal(api.connected, false);
    await assert.rejects(api.request(StatusGet, {}), (e: unknown) => e instanceof DaemonDownError && e.reason === 'the connection to the daemon closed');
  });

  it('routes notifications of every attached client to typed events, parsed; invalid ones are reported', () => {
    let current: FakeClient | { down: string } = { down: 'starting' };
    const api = new DaemonApi(() => current);
    const statuses: number[] = [];
    const invalid: string[] = [];
    api.on(StatusDidChange)((s) => statuses.push(s.remaining));
    api.onInvalidNotification((e) => invalid.push(e.method));

    const first = new FakeClient({});
    current = first;
    const attachment = api.attach(first);
    first.notify('status/didChange', aStatus({ remaining: 5 }));
    first.notify('status/didChange', { remaining: 'many' });
    // An event asked for after the client was attached still reaches it.
    const changed: string[] = [];
    api.on(DatasetsDidChange)((p) => changed.push(p.path));
    first.notify('datasets/didChange', { path: 'data/a.jsonl' });
    attachment.dispose();
    assert.equal(first.handlers.size, 0, 'detached');

    // A recreated client gets the same events.
    const second = new FakeClient({});
    current = second;
    api.attach(second);
    second.notify('status/didChange', aStatus({ remaining: 4 }));
    assert.deepEqual(statuses, [5, 4]);
    assert.deepEqual(invalid, ['status/didChange']);
    assert.deepEqual(changed, ['data/a.jsonl']);
  });

  it('reports $/progress of a request by its token, parsed', () => {
    const client = new FakeClient({});
    const api = new DaemonApi(() => client);
    const seen: number[] = [];
    const sub = api.onProgress('tok-1', (v) => seen.push(v.fraction));
    client.progress.get('tok-1')!({ fraction: 0.5, message: 'half' });
    client.progress.get('tok-1')!({ nonsense: true });
    sub.dispose();
    assert.deepEqual(seen, [0.5]);
    assert.equal(client.progress.size, 0);
  });
});
