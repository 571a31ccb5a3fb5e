// The @vscode/test-electron suite: the built extension in a real VS Code (Electron) window on a
// temp flywheel workspace, with the real daemon. Run: `npm run test:electron` (on Linux without a
// display: `xvfb-run -a npm run test:electron`).
//
// It needs a VS Code build: VSCODE_EXECUTABLE=/path/to/code, or one downloaded by
// @vscode/test-electron (internet). When neither can be had it prints why and that it is
// SKIPPED (exit 0), never silently; FINETUNE_ELECTRON_REQUIRED=1 turns a skip into a failure.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { makeWorkspace } from './workspace';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'out', 'vscode-electron');
/** The oldest VS Code the extension supports (engines.vscode). */
const VERSION = process.env.VSCODE_TEST_VERSION ?? '1.91.0';

function skip(reason: string): never {
  const required = process.env.FINETUNE_ELECTRON_REQUIRED === '1';
  console.log(`\n${required ? 'FAILED' : 'SKIPPED'}: the @vscode/test-electron suite (test/vscode-electron) did not run: ${reason}`);
  console.log('  To run it: on a machine that can download VS Code (or with VSCODE_EXECUTABLE=/path/to/code),');
  console.log('  `npm run test:electron`; on Linux without a display, `xvfb-run -a npm run test:electron`.');
  console.log(`test:electron: 0 passed, ${required ? 1 : 0} failed, 1 skipped`);
  process.exit(required ? 1 : 0);
}

async function vscodeExecutable(): Promise<string> {
  const given = process.env.VSCODE_EXECUTABLE;
  if (given) {
    if (!fs.existsSync(given)) skip(`VSCODE_EXECUTABLE=${given} does not exist`);
    return given;
  }
  try {
    return await downloadAndUnzipVSCode({ version: VERSION, cachePath: path.join(OUT, 'cache'), timeout: 20_000 });
  } catch (err) {
    skip(`no VS Code ${VERSION} could be downloaded (${err instanceof Error ? err.message : String(err)}) and VSCODE_EXECUTABLE is not set`);
  }
}

async function main(): Promise<void> {
  const exe = await vscodeExecutable();
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) skip('there is no display (DISPLAY is not set); run it under xvfb-run -a');

  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('node esbuild.mjs failed');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
    outfile: path.join(OUT, 'suite.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-electron-'));
  const runtime = path.join(tmp, 'run');
  fs.mkdirSync(runtime, { mode: 0o700 });
  const workspace = makeWorkspace(path.join(tmp, 'ws'));
  const env = { FINETUNE_RUNTIME_DIR: runtime };
  try {
    const code = await runTests({
      vscodeExecutablePath: exe,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(OUT, 'suite.js'),
      extensionTestsEnv: { ...env, FINETUNE_TEST_WORKSPACE: workspace },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${path.join(tmp, 'user-data')}`],
    });
    process.exitCode = code;
  } finally {
    // The extension starts the daemon detached (it outlives the window): stop it.
    spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'daemon', '--stop', '--workspace', workspace], { env: { ...process.env, ...env }, stdio: 'inherit' });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
