// Errors the store raises on purpose carry a hint that tells the user what to do next.
export class StoreError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    /** 'read-only': the file was corrupt when opened; 'failed': a write or fsync failed. */
    readonly kind: 'read-only' | 'failed' | 'invalid' | 'busy' = 'failed',
  ) {
    super(`${message} ${hint}`);
    this.name = 'StoreError';
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
