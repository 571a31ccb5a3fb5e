import { z } from 'zod';
import { defineNotification, defineRequest } from './define';

export const logEntry = z.object({
  seq: z.number().int(),
  time: z.string(),
  level: z.enum(['debug', 'info', 'warn', 'error']),
  event: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()).optional(),
});
export type LogEntry = z.infer<typeof logEntry>;

/** Recent log entries after a cursor (a sequence number), so a client can resume where it left off. */
export const LogsTail = defineRequest(
  'logs/tail',
  z.object({ after: z.number().int().min(-1).default(-1), limit: z.number().int().min(1).max(5000).default(200) }),
  z.object({ entries: z.array(logEntry), cursor: z.number().int() }),
);

export const LogsDidAppend = defineNotification('logs/didAppend', z.object({ entries: z.array(logEntry) }));
