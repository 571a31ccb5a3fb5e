// What the real-server tier needs before any test: the llama.cpp server's Python environment
// (scripts/llm-server-env.sh, a cached build) and the tiny GGUF model (make_tiny_gguf.py, cached by
// the hash of its builder). Built once per process, whoever asks first.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const ENV_SCRIPT = path.join(ROOT, 'scripts/llm-server-env.sh');
const MODEL_BUILDER = path.join(__dirname, 'make_tiny_gguf.py');
/** scripts/llm-server-env.sh exits with this when pip cannot install or compile the package. */
const CANNOT_BUILD = 3;

export type LlmEnv = { ok: true; python: string; model: string } | { ok: false; reason: string };

export function cacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'finetune-flywheel');
}

/** Runs the env script, streaming its progress lines to stderr; resolves with its exit code and output. */
function runEnvScript(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [ENV_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      // Progress for a person watching a cold build (minutes); pip's own noise stays in the buffer.
      for (const line of d.toString().split('\n')) if (line.startsWith('[llm-server-env]')) process.stderr.write(`      ${line}\n`);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function tinyModel(python: string): string {
  const key = createHash('sha256').update(fs.readFileSync(MODEL_BUILDER)).digest('hex').slice(0, 12);
  const file = path.join(cacheDir(), `tiny-random-llama-${key}.gguf`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const r = spawnSync(python, [MODEL_BUILDER, partial], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make_tiny_gguf.py failed (exit ${r.status}):\n${r.stderr}`);
  fs.renameSync(partial, file); // atomic: a concurrent reader never sees half a model
  return file;
}

let pending: Promise<LlmEnv> | undefined;

/**
 * The server's Python and the tiny model, or why the package cannot be built here. Anything else
 * that goes wrong (the script, the model builder) throws: only a failed build may skip the tier.
 */
export function llmEnv(): Promise<LlmEnv> {
  pending ??= (async (): Promise<LlmEnv> => {
    const r = await runEnvScript();
    if (r.code === CANNOT_BUILD) {
      const tail = r.stderr.trim().split('\n').filter((l) => !/^WARNING: Location/.test(l)).slice(-8).join('\n');
      return { ok: false, reason: `llama-cpp-python[server] cannot be built on this machine (scripts/llm-server-env.sh):\n${tail}` };
    }
    if (r.code !== 0) throw new Error(`scripts/llm-server-env.sh failed (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
    const python = r.stdout.trim().split('\n').pop()!;
    return { ok: true, python, model: tinyModel(python) };
  })();
  return pending;
}

let skipSaid = false;

/**
 * For a `before` hook: the environment, or the suite skipped with the reason printed (never
 * silently). A cold build takes minutes, so the hook gets a long timeout.
 */
export async function requireLlmEnv(ctx: Mocha.Context): Promise<{ python: string; model: string }> {
  ctx.timeout(20 * 60_000);
  const env = await llmEnv();
  if (!env.ok) {
    // Said in full once, then once per suite, so the reason is never lost in the output.
    console.log(skipSaid ? '      SKIPPED: the llama.cpp server cannot be built (reason above)' : `\n      SKIPPED (real llama.cpp server tier): ${env.reason.replace(/\n/g, '\n        ')}\n`);
    skipSaid = true;
    ctx.skip();
  }
  return env as { python: string; model: string };
}
