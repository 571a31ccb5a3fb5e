// The built run panel in headless Chromium, driven as a user would, with a real PanelChannel
// playing the extension host.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS, ROOT, chromiumPath, ensureBuilt, fakeRun, openPanel, startServer, type OpenPanel, type PanelServer } from './harness';
import { CONFIG, fakeStatus, landedVersion, logLine } from './fixtures';
import { WEBVIEW_PROTOCOL_VERSION } from '../../daemon/protocol';

describe('run panel webview (built, headless Chromium)', function () {
  let browser: Browser | undefined;
  let server: PanelServer | undefined;
  let panel: OpenPanel;

  before(async function () {
    this.timeout(660_000); // only an apt-get install of chromium takes this long
    const executablePath = chromiumPath();
    if (!executablePath) {
      console.log('    SKIPPED: chromium is not installed and apt-get could not install it; the webview tests need /usr/bin/chromium');
      this.skip();
    }
    ensureBuilt();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: executablePath!, args: CHROMIUM_ARGS });
    server = await startServer();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    panel = await openPanel(browser!, server!);
  });

  afterEach(async function () {
    if (!panel) return;
    const origin = server!.origin;
    const elsewhere = panel.requests.filter((u) => !u.startsWith(`${origin}/`));
    const errors = panel.errors;
    await panel.close();
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(elsewhere, [], 'the panel fetched something from elsewhere');
      assert.deepEqual(errors, [], 'the panel logged errors');
    }
  });

  const text = (selector: string) => panel.page.locator(selector).innerText();
  const waitText = (selector: string, expected: string | RegExp) =>
    panel.page.waitForFunction(
      ([sel, src, flags]) => {
        const t = document.querySelector(sel)?.textContent ?? '';
        return flags === null ? t === src : new RegExp(src, flags).test(t);
      },
      [selector, typeof expected === 'string' ? expected : expected.source, typeof expected === 'string' ? null : expected.flags] as const,
    );

  it('says webview/ready on load and shows what the host had before the panel existed', async () => {
    // Published before the page loads: nothing is posted until the panel says it is ready.
    panel.channel.setConfig(CONFIG);
    panel.channel.setStatus(fakeStatus(63));
    await panel.load();
    const ready = await panel.waitForPosted('webview/ready');
    assert.deepEqual(ready.params, { protocolVersion: WEBVIEW_PROTOCOL_VERSION, cursor: -1, epoch: null, fresh: true });
    await waitText('#threshold-count', '63 / 100');
    const config = await text('#config');
    for (const shown of ['mistral-7b', 'summarization', 'docker', 'lora', '2e-5']) assert.match(config, new RegExp(shown));
    assert.match(config, /Batch size\s+4/);
    assert.match(config, /Epochs\s+3/);
  });

  it('below the threshold: Run is disabled with the numbers, and "Run anyway (force)" posts panel/run {force: true}', async () => {
    panel.channel.setStatus(fakeStatus(63));
    await panel.load();
    await waitText('#run-reason', '37 more high-quality samples needed');
    const run = panel.page.getByRole('button', { name: 'Run fine-tuning' });
    assert.equal(await run.isDisabled(), true);
    assert.equal(await text('#threshold-count'), '63 / 100');
    assert.match(await text('#threshold-remaining'), /37 remaining/);

    await panel.page.getByRole('button', { name: 'Run anyway (force)' }).click();
    const request = await panel.waitForPosted('panel/run');
    assert.deepEqual(request.params, { force: true });
    assert.equal(typeof request.id, 'number');
    await panel.page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('#run-force')!.disabled);
    assert.deepEqual(panel.calls.run, [{ force: true }]);
  });

  it('shows why a request failed, with the daemon\'s hint', async () => {
    panel = await reopenWith({
      run: async () => {
        throw Object.assign(new Error('there are no high-quality samples to train on'), { code: 1404, data: { kind: 'nothing-to-train', hint: 'ingest samples first' } });
      },
    });
    panel.channel.setStatus(fakeStatus(5));
    await panel.load();
    await panel.page.getByRole('button', { name: 'Run anyway (force)' }).click();
    await waitText('#request-error', 'there are no high-quality samples to train on — ingest samples first');
  });

  it('at the threshold: Run posts panel/run {force: false} and the force control is gone', async () => {
    panel.channel.setStatus(fakeStatus(100));
    await panel.load();
    await waitText('#threshold-remaining', 'Threshold reached');
    const run = panel.page.getByRole('button', { name: 'Run fine-tuning' });
    assert.equal(await run.isEnabled(), true);
    assert.equal(await panel.page.locator('#run-force').isVisible(), false);
    await run.click();
    const request = await panel.waitForPosted('panel/run');
    assert.deepEqual(request.params, { force: false });
  });

  it('a run in progress: step, percent, epoch, ETA and the loss chart follow runs/didProgress; Cancel posts panel/cancel', async () => {
    const done = fakeRun({ status: 'succeeded', createdAt: '2025-01-01T09:00:00.000Z', startedAt: '2025-01-01T09:00:01.000Z', endedAt: '2025-01-01T09:04:31.000Z', version: 'v1' });
    const run = fakeRun({ status: 'running', trigger: 'threshold', startedAt: new Date(Date.now() - 60_000).toISOString() });
    panel.channel.setConfig(CONFIG);
    panel.channel.setRuns([done]);
    panel.channel.setModels([{ ...landedVersion(done, 'v1') }]);
    panel.channel.setStatus(fakeStatus(100, 100, { activeRun: run }));
    panel.channel.runChanged(run);
    await panel.load();
    await panel.waitForPosted('webview/ready');
    await waitText('#run-title', new RegExp(`^${run.id} · running`));

    const now = Date.now();
    for (let step = 1; step <= 40; step++) {
      const progress = { step, totalSteps: 120, epoch: step / 40, loss: 2.4 * Math.exp(-step / 25) + 0.3 + 0.04 * Math.sin(step) };
      panel.channel.runProgress(run.id, progress, new Date(now - (40 - step) * 1000));
    }
    panel.channel.appendLogs([
      logLine(`run ${run.id}: training mistral-7b on 120 samples with the docker runner`, { event: 'run.start', fields: { run: run.id } }),
      logLine('{"event": "step", "step": 40, "loss": 0.71}', { level: 'debug', fields: { run: run.id } }),
      logLine('an entry of another run', { fields: { run: 'run-other' } }),
    ]);
    await waitText('#run-step', '40 / 120');
    assert.equal(await text('#run-percent'), '33%');
    assert.equal(await panel.page.locator('#run-bar').getAttribute('aria-valuenow'), '33');
    assert.equal(await text('#run-epoch'), '1');
    assert.match(await text('#run-eta'), /^1m [12]\ds$/);
    await panel.page.waitForFunction(() => document.querySelector('#loss-chart')?.getAttribute('data-points') === '40');
    const path = await panel.page.locator('#loss-chart path.loss-line').getAttribute('d');
    assert.equal(path?.match(/[ML]/g)?.length, 40);
    assert.match((await panel.page.locator('#loss-chart').getAttribute('aria-label')) ?? '', /40 steps/);
    assert.equal(await panel.page.locator('#announcer').getAttribute('aria-live'), 'polite');
    assert.match(await text('#announcer'), /: 3\d% done$/, 'announced at the tenth it crossed, not every step');
    // The log shows this run's lines only, unless asked for every entry.
    await waitText('#log-lines', /training mistral-7b on 120 samples/);
    assert.doesNotMatch(await text('#log-lines'), /another run/);
    assert.match(await text('#history-table'), /succeeded[\s\S]*v1 \(current\)/);
    assert.match(await text('#eval-version'), /^v1 \(current\) · run \S+ — this run's own evaluation appears when it lands$/);
    assert.equal(await panel.page.getByRole('button', { name: 'Run fine-tuning' }).isDisabled(), true);
    assert.equal(await text('#run-reason'), `Run ${run.id} is running`);

    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await panel.page.screenshot({ path: join(ROOT, 'test-results/webview-run-panel.png'), fullPage: true });

    await panel.page.getByRole('button', { name: `Cancel run ${run.id}` }).click();
    const cancel = await panel.waitForPosted('panel/cancel');
    assert.deepEqual(cancel.params, { id: run.id });
  });

  it('shows held-out evaluation before/after from the landed version, and opens its model card', async () => {
    const run = fakeRun({ status: 'succeeded', endedAt: '2025-01-01T10:04:00.000Z', version: 'v2' });
    const version = landedVersion(run);
    panel.channel.setRuns([run]);
    panel.channel.setModels([version]);
    await panel.load();
    await waitText('#eval-version', `v2 (current) · run ${run.id}`);
    const rows = await panel.page.locator('#eval-table tbody tr').allInnerTexts();
    assert.deepEqual(
      rows.map((r) => r.split('\t').map((c) => c.trim())),
      [
        ['eval_loss', '2.5', '1.75', '−0.75 (better)'],
        ['rouge1', '0.31', '0.42', '+0.11 (better)'],
        ['rouge2', '0.12', '0.2', '+0.08 (better)'],
        ['rougeL', '0.28', '0.39', '+0.11 (better)'],
      ],
    );
    await panel.page.getByRole('button', { name: 'Open the model card of v2' }).click();
    const open = await panel.waitForPosted('panel/openModelCard');
    assert.deepEqual(open.params, { path: version.path });
    await waitUntil(() => panel.calls.openModelCard.length === 1);
    assert.equal(panel.calls.openModelCard[0]!.version, 'v2');
  });

  it('shows a log line with <script> as text, never as markup', async () => {
    const run = fakeRun();
    panel.channel.runChanged(run);
    await panel.load();
    const hostile = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2"> &amp;';
    panel.channel.appendLogs([logLine(hostile, { fields: { run: run.id } })]);
    await waitText('#log-lines', /<script>window\.__xss = 1<\/script>/);
    assert.ok((await text('#log-lines')).includes(hostile));
    assert.equal(await panel.page.locator('#log-lines script, #log-lines img').count(), 0);
    assert.equal(await panel.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  });

  it('after a reload it sends webview/ready with the saved cursor and rebuilds from the replay', async () => {
    const older = fakeRun({ status: 'failed', createdAt: '2025-01-01T08:00:00.000Z', error: { message: 'out of memory', hint: 'lower batch_size' } });
    const run = fakeRun({ status: 'running' });
    panel.channel.setStatus(fakeStatus(100, 100, { activeRun: run }));
    panel.channel.setRuns([run, older]);
    await panel.load();
    for (let step = 1; step <= 10; step++) panel.channel.runProgress(run.id, { step, totalSteps: 50, loss: 3 - step / 10 });
    await waitText('#run-step', '10 / 50');
    // View state: the user picks the older run in the history.
    await panel.page.getByRole('button', { name: `Show run ${older.id}` }).click();
    await waitText('#run-title', new RegExp(`^${older.id} · failed`));
    await waitText('#run-error', 'out of memory — lower batch_size');
    const saved = await panel.page.waitForFunction(
      (last) => {
        const s = JSON.parse(sessionStorage.getItem('vscode-state') ?? 'null');
        return s && s.cursor === last && s.selectedRunId !== null ? s : null;
      },
      panel.channel.lastSeq,
    );
    const state = (await saved.jsonValue()) as { cursor: number; epoch: string; selectedRunId: string };
    assert.equal(state.epoch, panel.channel.epoch);
    assert.equal(state.selectedRunId, older.id);
    assert.deepEqual(Object.keys(state).sort(), ['allLogs', 'cursor', 'epoch', 'selectedRunId', 'v'], 'state holds ids, the cursor and view state only');

    await panel.load(); // a reload: a new page, same saved state
    const ready = await panel.waitForPosted('webview/ready');
    assert.deepEqual(ready.params, { protocolVersion: WEBVIEW_PROTOCOL_VERSION, cursor: state.cursor, epoch: state.epoch, fresh: true });
    await waitText('#run-title', new RegExp(`^${older.id} · failed`));
    assert.equal(await panel.page.getByRole('button', { name: `Show run ${older.id}` }).getAttribute('aria-pressed'), 'true');
    await panel.page.getByRole('button', { name: 'Follow the active run' }).click();
    await waitText('#run-step', '10 / 50');
    await panel.page.waitForFunction(() => document.querySelector('#loss-chart')?.getAttribute('data-points') === '10');
  });

  it('asks for a replay from its cursor when an event number is skipped', async () => {
    panel.channel.setStatus(fakeStatus(10));
    await panel.load();
    await waitText('#threshold-count', '10 / 100');
    const cursor = panel.channel.lastSeq;
    // An event from further ahead than the next one: something in between was lost.
    await panel.postRaw({ jsonrpc: '2.0', method: 'status/didChange', params: { seq: cursor + 5, status: fakeStatus(99) } });
    const again = await panel.waitForPosted('webview/ready', 1);
    assert.deepEqual(again.params, { protocolVersion: WEBVIEW_PROTOCOL_VERSION, cursor, epoch: panel.channel.epoch, fresh: false });
    assert.equal(await text('#threshold-count'), '10 / 100', 'the out-of-order event was not applied');
    panel.channel.setStatus(fakeStatus(11));
    await waitText('#threshold-count', '11 / 100');
  });

  it('CSP: an inline script without the nonce is blocked; one with it runs', async () => {
    await panel.load();
    await panel.waitForPosted('webview/ready');
    const csp = await panel.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /^default-src 'none'; script-src 'nonce-[A-Za-z0-9_-]+'; style-src http:\/\/127\.0\.0\.1:\d+; img-src http:\/\/127\.0\.0\.1:\d+ data:; font-src http:\/\/127\.0\.0\.1:\d+$/);
    // A string, not a function: the test compiler would wrap named inner functions in helpers the page lacks.
    const result = (await panel.page.evaluate(`(async () => {
      const violation = new Promise((r) => document.addEventListener('securitypolicyviolation', r, { once: true }));
      const add = (nonce) => {
        const s = document.createElement('script');
        if (nonce) s.nonce = nonce;
        s.textContent = 'window.__inline = ' + (nonce ? '"with nonce"' : '"without nonce"');
        document.body.append(s);
      };
      add();
      const blocked = window.__inline;
      add(document.querySelector('script[src]').nonce);
      await violation;
      return { blocked, allowed: window.__inline, violations: window.__cspViolations };
    })()`)) as { blocked?: string; allowed?: string; violations: string[] };
    assert.equal(result.blocked, undefined);
    assert.equal(result.allowed, 'with nonce');
    assert.ok(result.violations.some((v) => v.startsWith('script-src')), `violations: ${result.violations.join(', ')}`);
    // Chromium reports the blocked script on the console: expected here, and only here.
    const expected = panel.errors.filter((e) => e.includes('violates the following Content Security Policy directive'));
    assert.equal(expected.length, 1);
    panel.errors.splice(0, panel.errors.length, ...panel.errors.filter((e) => !expected.includes(e)));
  });

  async function reopenWith(handlers: Parameters<typeof openPanel>[2]): Promise<OpenPanel> {
    await panel.close();
    return openPanel(browser!, server!, handlers);
  }
});

async function waitUntil(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
