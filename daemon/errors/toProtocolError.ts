// Turns anything thrown below the RPC surface into the protocol's error shape: a DomainError
// keeps its message, kind and hint under the code its kind maps to; anything else is a bug and
// becomes "internal error". The socket server and the CLI both report errors through here.
import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes, type ErrorData } from '../protocol';
import { DomainError } from './DomainError';
import { ERROR_KINDS } from './kinds';
import { redactSecrets } from './redact';

export interface ProtocolError {
  code: number;
  message: string;
  data: ErrorData;
}

export function toProtocolError(err: unknown): ProtocolError {
  const p = unredacted(err);
  const data = p.data.hint ? { ...p.data, hint: redactSecrets(p.data.hint) } : p.data;
  return { ...p, message: redactSecrets(p.message), data };
}

function unredacted(err: unknown): ProtocolError {
  if (err instanceof ResponseError) {
    const data = (err.data ?? {}) as Partial<ErrorData>;
    return { code: err.code, message: err.message, data: { ...data, kind: typeof data.kind === 'string' ? data.kind : 'unknown' } };
  }
  if (err instanceof DomainError) {
    return {
      code: ERROR_KINDS[err.kind],
      message: err.message,
      data: { kind: err.kind, ...(err.hint ? { hint: err.hint } : {}), ...(err.details ? { details: err.details } : {}) },
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: ErrorCodes.Internal,
    message: `internal error: ${message}`,
    data: { kind: 'internal', hint: 'see logs/finetuning.log for details, and report it if it repeats' },
  };
}

export function toResponseError(err: unknown): ResponseError<ErrorData> {
  if (err instanceof ResponseError) return err as ResponseError<ErrorData>;
  const p = toProtocolError(err);
  return new ResponseError<ErrorData>(p.code, p.message, p.data);
}
