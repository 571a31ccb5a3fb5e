// The store reports recoveries (torn tails set aside, outside edits re-indexed) through a logger
// the daemon injects, so it decides where they go and tests can assert on them.
export interface StoreLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: StoreLogger = {
  info() {},
  warn() {},
  error() {},
};
