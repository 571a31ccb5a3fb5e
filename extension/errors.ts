// What a failed daemon request means for people, read from the protocol's error shape
// (code, message, data: {kind, hint}). No vscode: the commands and the tests share it.
import { ErrorCodes, type ErrorData } from '../daemon/protocol';

/** Thrown by the extension's API wrapper when there is no daemon connection to send on. */
export class DaemonDownError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DaemonDownError';
  }
}

export interface DaemonErrorInfo {
  code?: number;
  message: string;
  kind?: string;
  hint?: string;
  details?: Record<string, unknown>;
}

/** Reads a JSON-RPC ResponseError (or anything else thrown) into plain fields. */
export function errorInfo(err: unknown): DaemonErrorInfo {
  if (err && typeof err === 'object' && 'message' in err) {
    const e = err as { code?: unknown; message: unknown; data?: unknown };
    const data = (e.data && typeof e.data === 'object' ? e.data : {}) as Partial<ErrorData>;
    return {
      code: typeof e.code === 'number' ? e.code : undefined,
      message: String(e.message),
      kind: typeof data.kind === 'string' ? data.kind : undefined,
      hint: typeof data.hint === 'string' ? data.hint : undefined,
      details: data.details && typeof data.details === 'object' ? data.details : undefined,
    };
  }
  return { message: String(err) };
}

/** "message (hint)" for a notification. */
export function describeError(err: unknown): string {
  const info = errorInfo(err);
  return info.hint ? `${info.message}. ${capitalize(info.hint)}.`.replace(/\.\.+/g, '.') : info.message;
}

export function isProtocolMismatch(err: unknown): boolean {
  const info = errorInfo(err);
  return info.code === ErrorCodes.ProtocolMismatch || info.kind === 'protocol-mismatch';
}

/** A request cancelled by the user (JSON-RPC RequestCancelled, -32800). */
export function isCancellation(err: unknown): boolean {
  const info = errorInfo(err);
  return info.code === -32800 || (err instanceof Error && err.name === 'Canceled');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
