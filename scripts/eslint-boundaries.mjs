// An ESLint rule for the import boundaries of the design: who may import whom, by folder. A
// relative import is resolved against the importing file and checked against the first entry of
// BOUNDARIES whose `from` holds that file. Package imports (vscode, node:*) have their own rules in
// eslint.config.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every daemon folder, for "everything but ..." lists. */
const DAEMON = ['protocol', 'errors', 'shared', 'config', 'store', 'workspace', 'judge', 'registry', 'assess', 'runs', 'core', 'server', 'client', 'cli', 'demo'].map((d) => `daemon/${d}/`);
const ROOT_FILES = ['daemon/Daemon.ts', 'daemon/log.ts', 'daemon/metrics.ts', 'daemon/metricsServer.ts', 'daemon/version.ts'];
const ABOVE_SERVICES = ['daemon/core/', 'daemon/server/', 'daemon/client/', 'daemon/cli/', 'daemon/demo/', 'daemon/Daemon.ts'];
/** The JSONL format the store defines, which the editor surface parses documents with. */
const STORE_FORMAT = ['daemon/store/jsonlLines.ts', 'daemon/store/LineIndex.ts', 'daemon/store/lineSplitter.ts', 'daemon/store/sampleCheck.ts'];

export const BOUNDARIES = [
  { from: 'daemon/protocol/', deny: [...DAEMON, ...ROOT_FILES], allow: ['daemon/protocol/'], why: 'the protocol imports nothing of ours' },
  { from: 'daemon/errors/', deny: [...DAEMON, ...ROOT_FILES], allow: ['daemon/errors/', 'daemon/protocol/'], why: 'errors sit below every layer' },
  {
    from: 'daemon/shared/',
    deny: [...DAEMON, ...ROOT_FILES],
    allow: ['daemon/shared/', 'daemon/errors/', 'daemon/protocol/'],
    why: 'the primitives the extension shares with the daemon stand alone',
  },
  { from: 'daemon/config/', deny: [...ABOVE_SERVICES, 'daemon/assess/', 'daemon/runs/'], why: 'config knows no services, runs or server' },
  { from: 'daemon/store/', deny: [...ABOVE_SERVICES, 'daemon/assess/', 'daemon/runs/', 'daemon/registry/'], why: 'the store knows no services, runs or server' },
  { from: 'daemon/workspace/', deny: [...ABOVE_SERVICES, 'daemon/assess/', 'daemon/runs/', 'daemon/registry/'], why: 'workspace paths know no services, runs or server' },
  { from: 'daemon/judge/', deny: [...ABOVE_SERVICES, 'daemon/assess/', 'daemon/runs/', 'daemon/registry/'], why: 'judges know no services, runs or server' },
  { from: 'daemon/registry/', deny: [...ABOVE_SERVICES, 'daemon/assess/', 'daemon/runs/'], why: 'the registry knows no services or server' },
  { from: 'daemon/assess/', deny: [...ABOVE_SERVICES, 'daemon/runs/'], why: 'assess/ judges; the run lifecycle is runs/' },
  { from: 'daemon/runs/', deny: ABOVE_SERVICES, why: 'runs/ owns runs and calls no server or wiring' },
  { from: 'daemon/core/', deny: ['daemon/server/', 'daemon/client/', 'daemon/cli/', 'daemon/demo/', 'daemon/Daemon.ts'], why: 'core/ wires services; the server is above it' },
  {
    from: 'daemon/server/',
    deny: ['daemon/core/', 'daemon/client/', 'daemon/cli/', 'daemon/demo/', 'daemon/Daemon.ts', 'daemon/judge/', 'daemon/registry/', 'daemon/store/', 'daemon/runs/'],
    allow: ['daemon/runs/RunService.ts', ...STORE_FORMAT],
    why: 'server/ only translates requests into calls of the services (assess/, runs/RunService)',
  },
  {
    from: 'extension/',
    deny: ['daemon/', 'webview-ui/'],
    allow: ['daemon/protocol/', 'daemon/shared/', 'daemon/client/'],
    why: 'the extension talks to the daemon only through the protocol (and the shared primitives and socket client)',
  },
];

function startsWithAny(file, prefixes = []) {
  return prefixes.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));
}

/** Why `from` may not import `target` (both repo-relative), or undefined when it may. */
export function deniedBecause(from, target) {
  const rule = BOUNDARIES.find((b) => from.startsWith(b.from));
  if (!rule) return undefined;
  if (startsWithAny(target, rule.allow)) return undefined;
  return startsWithAny(target, rule.deny) ? rule.why : undefined;
}

export const boundaries = {
  rules: {
    imports: {
      meta: { type: 'problem', schema: [], messages: { denied: '{{from}} may not import {{target}}: {{why}}' } },
      create(context) {
        const from = path.relative(ROOT, context.filename).split(path.sep).join('/');
        const check = (node, spec) => {
          if (typeof spec !== 'string' || !spec.startsWith('.')) return;
          const absolute = path.resolve(path.dirname(context.filename), spec);
          const rel = path.relative(ROOT, absolute).split(path.sep).join('/');
          // A folder (its index.ts) is named with a trailing slash, a module by its file.
          const target = fs.existsSync(absolute) && fs.statSync(absolute).isDirectory() ? `${rel}/` : /\.(ts|mjs|js|json)$/.test(rel) ? rel : `${rel}.ts`;
          const why = deniedBecause(from, target);
          if (why) context.report({ node, messageId: 'denied', data: { from, target, why } });
        };
        return {
          ImportDeclaration: (n) => check(n, n.source.value),
          ExportAllDeclaration: (n) => check(n, n.source.value),
          ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
          ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
        };
      },
    },
  },
};
