// A real VS Code for tests: code-server (VS Code 1.100 in its real Node extension host), with the
// packaged .vsix installed, driven through Debian's Chromium by Playwright the way a person would:
// the command palette, the status bar, views, notifications, editors, webviews.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-results');

export function codeServerBinary(): string {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error('scripts/code-server.sh failed (see above)');
  return r.stdout.trim().split('\n').pop()!;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface VsCode {
  page: Page;
  browser: Browser;
  server: ChildProcess;
  log(): string;
  close(): Promise<void>;
}

/** Installs the .vsix and opens `workspace` in code-server, returning a Playwright page on the workbench. */
export async function openVsCode(opts: { vsix: string; workspace: string; env: NodeJS.ProcessEnv }): Promise<VsCode> {
  const bin = codeServerBinary();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-vscode-'));
  const userData = path.join(home, 'user-data');
  const extensions = path.join(home, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'security.workspace.trust.enabled': false,
      'git.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'telemetry.telemetryLevel': 'off',
      'editor.inlayHints.enabled': 'on',
    }),
  );
  const install = spawnSync(bin, ['--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', opts.vsix], { encoding: 'utf8', env: opts.env });
  if (install.status !== 0) throw new Error(`installing ${opts.vsix} failed:\n${install.stdout}${install.stderr}`);
  const port = await freePort();
  const server = spawn(
    bin,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensions, opts.workspace],
    { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  server.stdout!.on('data', (d) => (log += d));
  server.stderr!.on('data', (d) => (log += d));
  // Ready when it says where it listens (the signal), not after a sleep.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start:\n${log}`)), 60_000);
    const check = () => {
      if (log.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout!.on('data', check);
    server.stderr!.on('data', check);
    server.once('exit', (code) => reject(new Error(`code-server exited (${code}):\n${log}`)));
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(opts.workspace)}`);
  await page.waitForSelector('.monaco-workbench .statusbar', { timeout: 120_000 });
  return {
    page,
    browser,
    server,
    log: () => log,
    async close() {
      await browser.close().catch(() => undefined);
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Runs a command from the palette by its title, as a person would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Click the entry whose label is exactly the title (fuzzy matching may rank another first).
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: 30_000 });
  const labels = await rows.locator('.label-name').allTextContents();
  const index = labels.findIndex((l) => l.trim() === title);
  if (index < 0) throw new Error(`no command titled "${title}" in the palette (saw: ${labels.join(' | ')})`);
  await rows.nth(index).click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export function notification(page: Page, text: string | RegExp) {
  return page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
}
