// Bundles every entry point: the finetune CLI (which also runs the daemon), the VS Code
// extension, and the run panel webview. `tsc --noEmit` typechecks beside it.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };

const builds = [
  {
    ...common,
    entryPoints: { cli: 'daemon/cli/main.ts', demo: 'daemon/demo/main.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    // dockerode pulls in ssh2, whose optional native addons are loaded in try/catch; better-sqlite3
    // is a native module loaded from node_modules (daemon/store/StateDb.ts).
    external: ['cpu-features', '*.node', 'better-sqlite3'],
  },
  {
    ...common,
    entryPoints: { extension: 'extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { 'webview/main': 'webview-ui/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
}
