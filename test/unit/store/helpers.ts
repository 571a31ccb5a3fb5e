// Shared by the store tests: a logger that records what the store reports.
import type { StoreLogger } from '../../../daemon/store/logger';

export function recordingLogger(): StoreLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info: ${m}`), warn: (m) => lines.push(`warn: ${m}`), error: (m) => lines.push(`error: ${m}`) };
}
