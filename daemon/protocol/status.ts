import { z } from 'zod';
import { defineNotification, defineRequest } from './define';
import { runSummary } from './runs';
import { modelVersion } from './models';

export const status = z.object({
  workspace: z.string(),
  task: z.string(),
  /** High-quality samples not yet used by a landed model version. */
  collected: z.number().int(),
  threshold: z.number().int(),
  /** max(0, threshold - collected). */
  remaining: z.number().int(),
  enabled: z.boolean(),
  minAverage: z.number(),
  /** judge.floors for the task: criterion -> the lowest score a kept sample may have. */
  floors: z.record(z.string(), z.number()).optional(),
  /** Every valid sample in the training dataset, used or not. */
  datasetSamples: z.number().int(),
  datasetPath: z.string(),
  invalidLines: z.number().int(),
  judge: z.object({ name: z.string(), version: z.string() }),
  currentModel: modelVersion.nullable(),
  activeRun: runSummary.nullable(),
  metrics: z.string(),
  logPath: z.string(),
  /** The last config error, when the file on disk is invalid and the last good config is in use. */
  configError: z.string().nullable(),
  /** Why the dataset refuses appends right now (disk full, I/O error, corrupt journal), and what to do. */
  storage: z.object({ message: z.string(), hint: z.string() }).nullable().optional(),
});
export type Status = z.infer<typeof status>;

export const StatusGet = defineRequest('status/get', z.object({}).optional(), status);
export const StatusDidChange = defineNotification('status/didChange', status);
