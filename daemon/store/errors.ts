// Errors the store raises on purpose carry a hint that tells the user what to do next.
import { DomainError } from '../errors/DomainError';

/** 'read-only': the file was corrupt when opened; 'failed': a write or fsync failed. */
export type StoreFailure = 'read-only' | 'failed' | 'invalid' | 'busy';

export class StoreError extends DomainError {
  declare readonly hint: string;

  constructor(
    message: string,
    hint: string,
    readonly failure: StoreFailure = 'failed',
  ) {
    super(`store-${failure}`, message, hint);
    this.name = 'StoreError';
  }

  /** Message and hint in one line, for the log. */
  get logLine(): string {
    return `${this.message} ${this.hint}`;
  }
}

/** "EIO: i/o error, fsync" style text for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

/** 2345678 → "2,345,678": byte counts in messages are read by people. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
