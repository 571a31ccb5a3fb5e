// The host's end of the panel protocol: nothing posted before webview/ready, replay after a
// cursor, compaction, reset when the panel cannot resume, validated requests, mapped errors.
import assert from 'node:assert/strict';
import { PanelChannel, type PanelHandlers } from '../../../extension/runPanel/PanelChannel';
import { ErrorCodes, WEBVIEW_PROTOCOL_VERSION, type RunSummary } from '../../../daemon/protocol';
import { fakeRun } from '../harness';
import { CONFIG, fakeCalibration, fakeOverview, fakeStatus, landedVersion, logLine } from '../fixtures';

interface Msg {
  jsonrpc: '2.0';
  id?: number | null;
  method?: string;
  params?: { seq?: number; mode?: string; upTo?: number; epoch?: string; [k: string]: unknown };
  result?: unknown;
  error?: { code: number; message: string; data?: { kind: string; hint?: string; path?: string } };
}

function setup(handlers: Partial<PanelHandlers> = {}, options: ConstructorParameters<typeof PanelChannel>[1] = {}) {
  const sent: Msg[] = [];
  const problems: string[] = [];
  const channel = new PanelChannel(
    {
      run: async (p) => handlers.run?.(p) ?? fakeRun({ status: 'queued', trigger: p.force ? 'forced' : 'manual' }),
      cancel: async (p) => handlers.cancel?.(p) ?? fakeRun({ status: 'cancelled' }),
      openLogs: async (p) => handlers.openLogs?.(p),
      openModelCard: async (v) => handlers.openModelCard?.(v),
      judgeEvaluate: async () => handlers.judgeEvaluate?.(),
      judgeCalibrate: async (p) => {
        if (!handlers.judgeCalibrate) throw new Error('this test gives no judgeCalibrate handler');
        return handlers.judgeCalibrate(p);
      },
      judgeRevert: async () => handlers.judgeRevert?.() ?? { reverted: 'v1', current: null },
    },
    { epoch: 'e1', onProblem: (m) => problems.push(m), ...options },
  );
  channel.attach((m) => {
    sent.push(m as Msg);
    return true;
  });
  const ready = (cursor = -1, fresh = true, epoch: string | null = null) =>
    channel.receive({ jsonrpc: '2.0', method: 'webview/ready', params: { protocolVersion: WEBVIEW_PROTOCOL_VERSION, cursor, epoch, fresh } });
  const request = async (id: number, method: string, params: unknown) => {
    await channel.receive({ jsonrpc: '2.0', id, method, params });
    return sent.find((m) => m.id === id && m.method === undefined)!;
  };
  return { channel, sent, problems, ready, request };
}

const methods = (msgs: Msg[]) => msgs.map((m) => `${m.method}${m.params?.seq !== undefined ? `#${m.params.seq}` : ''}`);

describe('PanelChannel (host side of the run panel)', () => {
  it('posts nothing before webview/ready, then a reset and everything it kept, in order', async () => {
    const { channel, sent, ready } = setup();
    channel.setConfig(CONFIG);
    channel.setStatus(fakeStatus(10));
    channel.appendLogs([logLine('a'), logLine('b')]);
    assert.equal(sent.length, 0);
    assert.equal(channel.ready, false);
    await ready();
    assert.equal(channel.ready, true);
    assert.deepEqual(sent[0], { jsonrpc: '2.0', method: 'webview/didSync', params: { epoch: 'e1', mode: 'reset', upTo: 2 } });
    assert.deepEqual(methods(sent.slice(1)), ['config/didChange#0', 'status/didChange#1', 'logs/didAppend#2']);
    channel.setStatus(fakeStatus(11));
    assert.deepEqual(methods(sent.slice(4)), ['status/didChange#3'], 'live after ready');
  });

  it('keeps only the latest status, config, run list and run summary per id', async () => {
    const { channel, sent, ready } = setup();
    const run = fakeRun({ status: 'queued' });
    channel.setStatus(fakeStatus(1)); // 0
    channel.runChanged(run); // 1
    channel.setStatus(fakeStatus(2)); // 2
    channel.runChanged({ ...run, status: 'running' }); // 3
    channel.runChanged(fakeRun()); // 4: another run
    channel.setRuns([]); // 5
    channel.setRuns([run]); // 6
    await ready();
    assert.deepEqual(methods(sent.slice(1)), ['status/didChange#2', 'runs/didChange#3', 'runs/didChange#4', 'runs/didList#6']);
    assert.equal((sent[2]!.params!.run as RunSummary).status, 'running');
  });

  it('resumes after the cursor when the panel still holds its data, and resets when it cannot', async () => {
    const { channel, sent, ready } = setup({}, { maxProgress: 3 });
    channel.setStatus(fakeStatus(1)); // 0
    for (let step = 1; step <= 3; step++) channel.runProgress('r1', { step, totalSteps: 9 }); // 1..3
    await ready(); // fresh: everything
    sent.length = 0;

    await ready(2, false, 'e1');
    assert.deepEqual(methods(sent), ['webview/didSync', 'runs/didProgress#3']);
    assert.equal(sent[0]!.params!.mode, 'resume');

    sent.length = 0;
    await ready(2, false, 'another-epoch');
    assert.equal(sent[0]!.params!.mode, 'reset', 'a cursor from another event log means nothing here');

    channel.runProgress('r1', { step: 4, totalSteps: 9 }); // 4: evicts 1
    sent.length = 0;
    await ready(0, false, 'e1');
    assert.equal(sent[0]!.params!.mode, 'reset', 'the events after cursor 0 are no longer all kept');
    assert.deepEqual(methods(sent.slice(1)), ['status/didChange#0', 'runs/didProgress#2', 'runs/didProgress#3', 'runs/didProgress#4']);

    sent.length = 0;
    await ready(4, true, 'e1');
    assert.equal(sent[0]!.params!.mode, 'reset', 'a fresh page holds nothing, whatever its saved cursor');
  });

  it('keeps the last maxLogEntries log entries, dropping whole batches', async () => {
    const { channel, sent, ready } = setup({}, { maxLogEntries: 3 });
    channel.appendLogs([logLine('1'), logLine('2')]); // 0
    channel.appendLogs([logLine('3')]); // 1
    channel.appendLogs([logLine('4'), logLine('5')]); // 2: drops batch 0
    channel.appendLogs([]); // nothing
    await ready();
    assert.deepEqual(methods(sent.slice(1)), ['logs/didAppend#1', 'logs/didAppend#2']);
    assert.equal(channel.lastSeq, 2);
  });

  it('answers panel/run with the handler\'s run and validates params', async () => {
    const calls: Array<{ force: boolean }> = [];
    const { request } = setup({ run: async (p) => (calls.push(p), fakeRun({ id: 'r9', status: 'queued' })) });
    const ok = await request(1, 'panel/run', { force: true });
    assert.equal((ok.result as RunSummary).id, 'r9');
    assert.deepEqual(calls, [{ force: true }]);
    const bad = await request(2, 'panel/run', { force: 'yes' });
    assert.equal(bad.error?.code, ErrorCodes.InvalidParams);
    assert.equal(bad.error?.data?.path, 'force');
    assert.equal(calls.length, 1, 'invalid params never reach the handler');
    const unknown = await request(3, 'panel/format', {});
    assert.equal(unknown.error?.code, ErrorCodes.MethodNotFound);
  });

  it('passes on a daemon error\'s code, kind and hint', async () => {
    const { request } = setup({
      run: async () => {
        throw Object.assign(new Error('63 of 100 high-quality samples collected; 37 more needed before fine-tuning'), {
          code: ErrorCodes.BelowThreshold,
          data: { kind: 'below-threshold', hint: 'run anyway with force' },
        });
      },
      cancel: async () => {
        throw new Error('boom');
      },
    });
    const below = await request(1, 'panel/run', { force: false });
    assert.deepEqual(below.error, {
      code: ErrorCodes.BelowThreshold,
      message: '63 of 100 high-quality samples collected; 37 more needed before fine-tuning',
      data: { kind: 'below-threshold', hint: 'run anyway with force' },
    });
    const internal = await request(2, 'panel/cancel', {});
    assert.deepEqual(internal.error, { code: ErrorCodes.Internal, message: 'boom' });
  });

  it('opens only the model card of a version it was told about', async () => {
    const opened: string[] = [];
    const { channel, request } = setup({ openModelCard: async (v) => void opened.push(v.version) });
    const version = landedVersion(fakeRun({ status: 'succeeded' }));
    const refused = await request(1, 'panel/openModelCard', { path: version.path });
    assert.equal(refused.error?.code, ErrorCodes.InvalidParams);
    channel.setModels([version]);
    const sneaky = await request(2, 'panel/openModelCard', { path: '../../etc/passwd' });
    assert.equal(sneaky.error?.code, ErrorCodes.InvalidParams);
    const ok = await request(3, 'panel/openModelCard', { path: version.path });
    assert.equal(ok.result, null);
    assert.deepEqual(opened, ['v2']);
  });

  it('ignores what is not a valid message, and says so', async () => {
    const { channel, sent, problems } = setup();
    await channel.receive('hello');
    await channel.receive({ jsonrpc: '2.0', method: 'webview/ready', params: { cursor: 'x' } });
    await channel.receive({ jsonrpc: '2.0', method: 'panel/whatever' });
    await channel.receive({ jsonrpc: '2.0', id: 4, result: null });
    assert.equal(sent.length, 0);
    assert.equal(problems.length, 4);
    assert.equal(channel.ready, false);
  });

  it('keeps only the latest Judge card state, and passes judge requests on with their params checked', async () => {
    const asked: unknown[] = [];
    const { channel, sent, ready, request } = setup({ judgeCalibrate: async (p) => (asked.push(p), fakeCalibration()) });
    channel.setJudge({ overview: fakeOverview(12), evaluation: null, problem: null, measuring: false });
    channel.setJudge({ overview: fakeOverview(13), evaluation: null, problem: null, measuring: true });
    await ready();
    const judge = sent.filter((m) => m.method === 'judge/didChange');
    assert.equal(judge.length, 1);
    assert.equal((judge[0].params as { judge: { overview: { overrides: number } } }).judge.overview.overrides, 13);
    const preview = await request(1, 'panel/judgeCalibrate', { apply: false });
    assert.equal((preview.result as { id: string }).id, 'abc12345');
    assert.equal((await request(2, 'panel/judgeCalibrate', { apply: 'yes' })).error?.code, ErrorCodes.InvalidParams);
    assert.deepEqual(asked, [{ apply: false }], 'an invalid request never reaches the handler');
    assert.equal((await request(3, 'panel/judgeEvaluate', {})).result, null);
  });

  it('logs events while detached and replays them to the next webview', async () => {
    const { channel, ready } = setup();
    await ready();
    channel.detach();
    channel.setStatus(fakeStatus(5));
    const next: Msg[] = [];
    channel.attach((m) => void next.push(m as Msg));
    assert.equal(next.length, 0);
    await channel.receive({ jsonrpc: '2.0', method: 'webview/ready', params: { protocolVersion: 1, cursor: -1, epoch: null, fresh: true } });
    assert.deepEqual(methods(next), ['webview/didSync', 'status/didChange#0']);
  });
});
