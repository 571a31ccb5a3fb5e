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
  modelName: z.string().optional(),
  /** current: in use; candidate: landed but never promoted (the gate said no); previous: was current once. */
  status: z.enum(['current', 'candidate', 'previous']).optional(),
});
export type ModelVersion = z.infer<typeof modelVersion>;

export const ModelsList = defineRequest('models/list', z.object({}).optional(), z.array(modelVersion));
export const ModelsDidLand = defineNotification(
  'models/didLand',
  modelVersion.extend({ promoted: z.boolean(), reason: z.string() }),
);

/** Make a landed version current by hand (the gate is not consulted). */
export const ModelsPromote = defineRequest('models/promote', z.object({ version: z.string().regex(/^v\d+$/, 'expected a version like "v2"') }), modelVersion);

/** Make the previous current version current again. */
export const ModelsRollback = defineRequest('models/rollback', z.object({}).optional(), modelVersion);
