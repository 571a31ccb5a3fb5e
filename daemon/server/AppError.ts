import { ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes, type ErrorData } from '../protocol';

/** An error a client should show: a message, a stable kind and a hint saying what to do next. */
export class AppError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly kind: string,
    readonly hint?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toResponseError(): ResponseError<ErrorData> {
    return new ResponseError<ErrorData>(this.code, this.message, {
      kind: this.kind,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.details ? { details: this.details } : {}),
    });
  }
}

export function toResponseError(err: unknown): ResponseError<ErrorData> {
  if (err instanceof ResponseError) return err as ResponseError<ErrorData>;
  if (err instanceof AppError) return err.toResponseError();
  const message = err instanceof Error ? err.message : String(err);
  return new ResponseError<ErrorData>(ErrorCodes.Internal, `internal error: ${message}`, {
    kind: 'internal',
    hint: 'see logs/finetuning.log for details, and report it if it repeats',
  });
}
