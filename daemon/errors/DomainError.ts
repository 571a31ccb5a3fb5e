// The one error type every layer of the daemon (and its CLI) throws on purpose: a message that
// says what is wrong, a stable kind a client can match on, and a hint that says what to do next.
// toProtocolError (beside this file) is the only place a kind becomes a protocol error code.
import type { ErrorKind } from './kinds';
import { redactSecrets } from './redact';

export type { ErrorKind } from './kinds';

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly hint?: string,
    /** Machine-readable facts for clients, e.g. {collected, threshold, remaining}. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** "message (hint)": for log lines and per-line results, where there is no separate hint field. */
export function withHint(err: unknown): string {
  if (!(err instanceof Error)) return redactSecrets(String(err));
  const hint = (err as { hint?: unknown }).hint;
  return redactSecrets(typeof hint === 'string' && hint ? `${err.message} (${hint})` : err.message);
}
