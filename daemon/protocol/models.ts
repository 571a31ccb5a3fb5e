import { z } from 'zod';
import { defineNotification, defineRequest } from './define';

export const modelVersion = z.object({
  version: z.string(),
  current: z.boolean(),
  /** Folder holding metadata.json, the model card README.md and the weights. */
  path: z.string(),
  runId: z.string().optional(),
  createdAt: z.string().optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
});
export type ModelVersion = z.infer<typeof modelVersion>;

export const ModelsList = defineRequest('models/list', z.object({}).optional(), z.array(modelVersion));
export const ModelsDidLand = defineNotification('models/didLand', modelVersion);
