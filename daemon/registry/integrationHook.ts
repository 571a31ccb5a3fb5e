// After a version is promoted: run the user's command and/or POST to their webhook
// (finetuning.integration). Never throws: each hook reports { ok, detail } and the daemon logs
// it and tells the user.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { describeError } from '../store/errors';
import { DAEMON_VERSION } from '../version';
import type { VersionMetadata } from './types';

export interface IntegrationConfig {
  command: string | null;
  webhook: string | null;
  /** Variables of the daemon's environment the command also gets (finetuning.integration.env). */
  env?: readonly string[];
}

export interface PromotionEvent {
  modelName: string;
  version: string;
  /** Absolute path of the version folder. */
  path: string;
  metadata: VersionMetadata;
}

export interface HookResult {
  ok: boolean;
  /** One line (or a few) for the log and the user: exit code / HTTP status, timing, output. */
  detail: string;
}

export interface CommandResult extends HookResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The last OUTPUT_KEEP bytes of stdout and stderr, interleaved as they came. */
  output: string;
  durationMs: number;
}

export interface WebhookResult extends HookResult {
  /** The last HTTP status seen (undefined: no response). */
  status?: number;
  attempts: number;
  /** Sent as X-Flywheel-Delivery on every attempt, so a receiver can drop duplicates. */
  deliveryId: string;
}

/** One configured hook's outcome; runIntegration returns one per configured hook. */
export type IntegrationResult = (CommandResult & { hook: 'command' }) | (WebhookResult & { hook: 'webhook' });

export interface IntegrationOptions {
  /** Command time limit; default 5 minutes. */
  commandTimeoutMs?: number;
  /** After the limit: SIGTERM to the command's process group, then SIGKILL after this; default 5 s. */
  killGraceMs?: number;
  /** Working folder of the command (the daemon passes the workspace); default: the daemon's. */
  cwd?: string;
  /** Names of the daemon's variables the command also gets (see commandEnvironment). */
  env?: readonly string[];
  /** Per-attempt webhook timeout; default 10 s. */
  webhookTimeoutMs?: number;
  /** Retries after the first attempt on 5xx, 429, timeouts and network errors; default 3. */
  webhookRetries?: number;
  /** Delay before retry k (1-based) is retryDelayMs * 2^(k-1); default 1 s. */
  retryDelayMs?: number;
}

export const EVENT_NAME = 'model.promoted';
const OUTPUT_KEEP = 16 * 1024;
const DETAIL_OUTPUT = 2000;

/**
 * Run the configured hooks (command and webhook concurrently). Returns one result per configured
 * hook (command first), [] when none is configured. Never rejects.
 */
export async function runIntegration(config: IntegrationConfig, event: PromotionEvent, options: IntegrationOptions = {}): Promise<IntegrationResult[]> {
  const [command, webhook] = await Promise.all([
    config.command ? runCommand(config.command, event, { ...options, env: config.env }).catch((error: unknown) => commandFailure(error)) : null,
    config.webhook ? postWebhook(config.webhook, event, options).catch((error: unknown) => webhookFailure(error)) : null,
  ]);
  const results: IntegrationResult[] = [];
  if (command) results.push({ hook: 'command', ...command });
  if (webhook) results.push({ hook: 'webhook', ...webhook });
  return results;
}

// ---------------------------------------------------------------------------------------------
// Command

/**
 * The command's whole environment: PATH, HOME, the daemon's FINETUNE_* variables, the names the
 * config lists, and the event. Nothing else: the daemon holds the judge's key and hub tokens.
 */
export function commandEnvironment(event: PromotionEvent, names: readonly string[] = [], from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value !== undefined && (name === 'PATH' || name === 'HOME' || name.startsWith('FINETUNE_') || names.includes(name))) env[name] = value;
  }
  return { ...env, ...hookEnvironment(event) };
}

/** The variables that describe the event. */
export function hookEnvironment(event: PromotionEvent): Record<string, string> {
  return {
    FINETUNE_EVENT: EVENT_NAME,
    FINETUNE_MODEL_NAME: event.modelName,
    FINETUNE_MODEL_VERSION: event.version,
    FINETUNE_MODEL_PATH: event.path,
    FINETUNE_METADATA: path.join(event.path, 'metadata.json'),
  };
}

export function runCommand(command: string, event: PromotionEvent, options: IntegrationOptions = {}): Promise<CommandResult> {
  const timeoutMs = options.commandTimeoutMs ?? 5 * 60_000;
  const graceMs = options.killGraceMs ?? 5_000;
  const started = Date.now();
  const [shell, args] = process.platform === 'win32' ? [process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', command]] : ['/bin/sh', ['-c', command]];

  return new Promise<CommandResult>((resolve) => {
    let output = Buffer.alloc(0);
    const keep = (chunk: Buffer) => {
      output = Buffer.concat([output, chunk]);
      if (output.length > OUTPUT_KEEP) output = output.subarray(output.length - OUTPUT_KEEP);
    };
    let timedOut = false;
    let settled = false;
    let drainTimer: NodeJS.Timeout | undefined;

    const child = spawn(shell, args, {
      cwd: options.cwd,
      env: commandEnvironment(event, options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout kills what the shell started too.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);

    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill('SIGTERM');
      // Left running after the shell exits: whatever it started and ignored SIGTERM goes too.
      setTimeout(() => kill('SIGKILL'), graceMs).unref();
    }, timeoutMs);

    const finish = (exitCode: number | null, signal: string | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drainTimer);
      child.stdout.destroy();
      child.stderr.destroy();
      const durationMs = Date.now() - started;
      const text = output.toString('utf8');
      const seconds = `${(durationMs / 1000).toFixed(1)}s`;
      let ok = false;
      let detail: string;
      if (spawnError) detail = `command could not start: ${describeError(spawnError)}`;
      else if (timedOut) detail = `command timed out after ${Math.round(timeoutMs / 1000)}s and was killed`;
      else if (exitCode === 0) {
        ok = true;
        detail = `command exited 0 in ${seconds}`;
      } else if (exitCode !== null) detail = `command exited with code ${exitCode} after ${seconds}`;
      else detail = `command was killed by ${signal ?? 'a signal'} after ${seconds}`;
      const tail = text.trim();
      if (tail) detail += `: ${tail.length > DETAIL_OUTPUT ? `...${tail.slice(-DETAIL_OUTPUT)}` : tail}`;
      resolve({ ok, detail, exitCode, signal, timedOut, output: text, durationMs });
    };

    child.on('error', (error) => finish(null, null, error));
    // 'close' waits for the pipes; a command that leaves a background process holding them
    // open would never close, so after 'exit' the output gets a moment and then is cut.
    child.on('close', (code, signal) => finish(code, signal));
    child.on('exit', (code, signal) => {
      drainTimer = setTimeout(() => finish(code, signal), 200);
    });
  });
}

function commandFailure(error: unknown): CommandResult {
  return { ok: false, detail: `command failed: ${describeError(error)}`, exitCode: null, signal: null, timedOut: false, output: '', durationMs: 0 };
}

// ---------------------------------------------------------------------------------------------
// Webhook

/** The JSON body POSTed to the webhook. */
export function webhookPayload(event: PromotionEvent): Record<string, unknown> {
  return { event: EVENT_NAME, modelName: event.modelName, version: event.version, path: event.path, metadata: event.metadata };
}

export async function postWebhook(url: string, event: PromotionEvent, options: IntegrationOptions = {}): Promise<WebhookResult> {
  const timeoutMs = options.webhookTimeoutMs ?? 10_000;
  const retries = options.webhookRetries ?? 3;
  const delayMs = options.retryDelayMs ?? 1_000;
  const deliveryId = randomUUID();
  const shown = redactUrl(url);
  const body = JSON.stringify(webhookPayload(event));

  let lastStatus: number | undefined;
  let lastProblem = '';
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) await sleep(delayMs * 2 ** (attempt - 2));
    let retryable: boolean;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `finetune-flywheel/${DAEMON_VERSION}`,
          'x-flywheel-event': EVENT_NAME,
          'x-flywheel-delivery': deliveryId,
        },
        body,
        // A POST must not turn into a GET somewhere else.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      lastStatus = response.status;
      const text = await response.text().catch(() => '');
      const snippet = text.trim().slice(0, 300);
      if (response.status >= 200 && response.status < 300) {
        const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
        return { ok: true, detail: `webhook ${shown} answered ${response.status}${tries}`, status: response.status, attempts: attempt, deliveryId };
      }
      lastProblem = `answered ${response.status}${snippet ? `: ${snippet}` : ''}`;
      if (response.status >= 300 && response.status < 400) lastProblem += ' (redirects are not followed)';
      retryable = response.status >= 500 || response.status === 429;
    } catch (error) {
      lastStatus = undefined;
      lastProblem = isTimeout(error) ? `did not answer within ${timeoutMs / 1000}s` : `could not be reached (${networkReason(error)})`;
      retryable = true;
    }
    if (!retryable) {
      return { ok: false, detail: `webhook ${shown} ${lastProblem}`, status: lastStatus, attempts: attempt, deliveryId };
    }
    if (attempt === retries + 1) {
      const tries = attempt > 1 ? ` (${attempt} attempts)` : '';
      return { ok: false, detail: `webhook ${shown} ${lastProblem}${tries}`, status: lastStatus, attempts: attempt, deliveryId };
    }
  }
  /* c8 ignore next */
  return { ok: false, detail: `webhook ${shown} ${lastProblem}`, status: lastStatus, attempts: retries + 1, deliveryId };
}

function webhookFailure(error: unknown): WebhookResult {
  return { ok: false, detail: `webhook failed: ${describeError(error)}`, attempts: 0, deliveryId: '' };
}

/** The URL without credentials or query string: both often hold a token. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function networkReason(error: unknown): string {
  // undici wraps the socket error in `cause`: "fetch failed" alone says nothing.
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  if (cause && typeof cause === 'object') {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code) return code;
    return describeError(cause);
  }
  return describeError(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
