// Serves the BUILT run panel (dist/webview) in a page made by the host helper, opens it in
// headless Chromium with a stubbed acquireVsCodeApi, and connects it to a real PanelChannel in
// this process, so a test plays the extension host.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildPanelHtml, createNonce } from '../../extension/runPanel/panelHtml';
import { PanelChannel, type PanelHandlers } from '../../extension/runPanel/PanelChannel';
import type { ModelVersion, RunSummary } from '../../daemon/protocol';

export const ROOT = resolve(__dirname, '../..');
const DIST = join(ROOT, 'dist/webview');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Builds with `node esbuild.mjs` when dist/webview is missing or older than its sources. */
export function ensureBuilt(): void {
  const outputs = ['main.js', 'main.css'].map((f) => join(DIST, f));
  const built = Math.min(...outputs.map((f) => (existsSync(f) ? statSync(f).mtimeMs : 0)));
  const newest = Math.max(...['webview-ui', 'daemon/protocol'].map((d) => newestMtime(join(ROOT, d))));
  if (built >= newest) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('node esbuild.mjs failed');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** /usr/bin/chromium, installed with apt-get when missing and we are root; null when impossible. */
export function chromiumPath(): string | null {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return path;
  if (process.getuid?.() !== 0) return null;
  console.log('    installing Debian chromium for the webview tests (apt-get)…');
  spawnSync('bash', ['-c', 'apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium'], { stdio: 'inherit', timeout: 600_000 });
  return existsSync(path) ? path : null;
}

export interface PanelServer {
  origin: string;
  close(): Promise<void>;
}

/** `/` is the panel page (a fresh nonce each time), `/dist/webview/*` the built files. */
export async function startServer(): Promise<PanelServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      const html = buildPanelHtml({ scriptUri: `${origin}/dist/webview/main.js`, styleUri: `${origin}/dist/webview/main.css`, cspSource: origin, nonce: createNonce() });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end(); // Chromium asks; VS Code would not
    const m = /^\/dist\/webview\/(main\.(?:js|css)(?:\.map)?)$/.exec(url.pathname);
    if (!m) return void res.writeHead(404).end();
    const type = m[1]!.endsWith('.css') ? 'text/css' : m[1]!.endsWith('.js') ? 'text/javascript' : 'application/json';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(readFileSync(join(DIST, m[1]!)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((r) => server.close(() => r())) };
}

// A VS Code webview's one global, stubbed: posted messages are recorded and handed to the host
// binding; state survives reloads in sessionStorage like VS Code keeps it for the panel.
const STUB = `(() => {
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return {
      postMessage(m) {
        const copy = JSON.parse(JSON.stringify(m));
        window.__posted.push(copy);
        window.__toHost(copy);
      },
      getState() {
        const s = sessionStorage.getItem('vscode-state');
        return s === null ? undefined : JSON.parse(s);
      },
      setState(s) {
        sessionStorage.setItem('vscode-state', JSON.stringify(s));
        return s;
      },
    };
  };
})();`;

export interface Posted {
  jsonrpc: '2.0';
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
}

export interface Calls {
  run: Array<{ force: boolean }>;
  cancel: Array<{ id?: string }>;
  openLogs: Array<{ runId?: string }>;
  openModelCard: ModelVersion[];
  judgeEvaluate: number;
  judgeCalibrate: Array<{ apply: boolean; expect?: string }>;
  judgeRevert: number;
}

export interface OpenPanel {
  page: Page;
  context: BrowserContext;
  channel: PanelChannel;
  calls: Calls;
  /** Every URL the page asked for. */
  requests: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  /** Loads (or reloads) the panel page. */
  load(): Promise<void>;
  posted(): Promise<Posted[]>;
  /** Waits until the panel has posted a message with this method (the nth, 0-based, counting since load). */
  waitForPosted(method: string, nth?: number): Promise<Posted>;
  /** Posts straight into the window, past the channel (for protocol edge cases). */
  postRaw(message: unknown): Promise<void>;
  close(): Promise<void>;
}

export async function openPanel(browser: Browser, server: PanelServer, handlers: Partial<PanelHandlers> = {}): Promise<OpenPanel> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1250 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const calls: Calls = { run: [], cancel: [], openLogs: [], openModelCard: [], judgeEvaluate: 0, judgeCalibrate: [], judgeRevert: 0 };
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));

  const channel = new PanelChannel({
    run: async (p) => {
      calls.run.push(p);
      return handlers.run ? handlers.run(p) : fakeRun({ trigger: p.force ? 'forced' : 'manual', status: 'queued' });
    },
    cancel: async (p) => {
      calls.cancel.push(p);
      return handlers.cancel ? handlers.cancel(p) : fakeRun({ id: p.id, status: 'cancelled' });
    },
    openLogs: async (p) => {
      calls.openLogs.push(p);
      await handlers.openLogs?.(p);
    },
    openModelCard: async (v) => {
      calls.openModelCard.push(v);
      await handlers.openModelCard?.(v);
    },
    judgeEvaluate: async () => {
      calls.judgeEvaluate++;
      await handlers.judgeEvaluate?.();
    },
    judgeCalibrate: async (p) => {
      calls.judgeCalibrate.push(p);
      if (!handlers.judgeCalibrate) throw new Error('this test gives no judgeCalibrate handler');
      return handlers.judgeCalibrate(p);
    },
    judgeRevert: async () => {
      calls.judgeRevert++;
      return handlers.judgeRevert ? handlers.judgeRevert() : { reverted: 'v1', current: null };
    },
  });
  // Messages go into the page in order; one sent while the page reloads is lost, as in VS Code.
  let queue: Promise<unknown> = Promise.resolve();
  const toPage = (m: unknown) => {
    const sent = queue.then(() => page.evaluate((msg) => window.postMessage(msg, '*'), m)).then(
      () => true,
      () => false,
    );
    queue = sent;
    return sent;
  };
  await page.exposeBinding('__toHost', (_source, msg: unknown) => channel.receive(msg));
  await page.addInitScript(STUB);
  channel.attach(toPage);

  const posted = () => page.evaluate(() => (window as unknown as { __posted: Posted[] }).__posted);
  return {
    page,
    context,
    channel,
    calls,
    requests,
    errors,
    async load() {
      await page.goto(`${server.origin}/`);
    },
    posted,
    async waitForPosted(method, nth = 0) {
      const handle = await page.waitForFunction(
        ([m, n]) => (window as unknown as { __posted: Posted[] }).__posted.filter((p) => p.method === m)[n as number],
        [method, nth] as const,
      );
      return (await handle.jsonValue()) as Posted;
    },
    async postRaw(message) {
      await queue;
      await page.evaluate((msg) => window.postMessage(msg, '*'), message);
    },
    close: () => context.close(),
  };
}

let runCounter = 0;
export function fakeRun(over: Partial<RunSummary> = {}): RunSummary {
  const id = over.id ?? `run-20250101-00000${++runCounter}`;
  return {
    id,
    status: 'running',
    trigger: 'manual',
    task: 'summarization',
    baseModel: 'tiny-random-mistral',
    createdAt: '2025-01-01T10:00:00.000Z',
    startedAt: '2025-01-01T10:00:01.000Z',
    endedAt: null,
    snapshot: { path: `.finetune/snapshots/${id}.jsonl`, hash: 'abc123', count: 120 },
    progress: null,
    version: null,
    error: null,
    ...over,
  };
}
