import { z } from 'zod';
import { defineNotification } from './define';

/** Long requests (ingest, assess) take an optional progressToken and report against it. */
export const progressToken = z.union([z.string().max(200), z.number().int()]);

export const ProgressDidReport = defineNotification(
  '$/progress',
  z.object({ token: progressToken, value: z.object({ fraction: z.number().min(0).max(1), message: z.string() }) }),
);
