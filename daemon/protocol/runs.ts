import { z } from 'zod';
import { defineNotification, defineRequest } from './define';

export const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof runStatus>;

export const runProgress = z.object({
  step: z.number(),
  totalSteps: z.number(),
  epoch: z.number().optional(),
  loss: z.number().optional(),
  learningRate: z.number().optional(),
  tokensPerSecond: z.number().optional(),
});

export const runSummary = z.object({
  id: z.string(),
  status: runStatus,
  trigger: z.enum(['threshold', 'manual', 'forced']),
  task: z.string(),
  baseModel: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  snapshot: z.object({ path: z.string(), hash: z.string(), count: z.number().int() }),
  progress: runProgress.nullable(),
  version: z.string().nullable(),
  error: z.object({ message: z.string(), hint: z.string().optional() }).nullable(),
  /** Where this run's version lands, when not finetuning.output_dir (workspace-relative). */
  outputDir: z.string().optional(),
});
export type RunSummary = z.infer<typeof runSummary>;

export const RunsStart = defineRequest(
  'runs/start',
  z.object({
    force: z.boolean().default(false),
    /** A retried request with the same key returns the same run instead of starting another. */
    idempotencyKey: z.string().max(200).optional(),
  }),
  runSummary,
);

export const RunsCancel = defineRequest('runs/cancel', z.object({ id: z.string().optional() }), runSummary);

export const RunsList = defineRequest('runs/list', z.object({ limit: z.number().int().min(1).max(1000).default(50) }), z.array(runSummary));

export const RunsDidProgress = defineNotification('runs/didProgress', z.object({ id: z.string(), progress: runProgress }));
export const RunsDidChange = defineNotification('runs/didChange', runSummary);
export const RunsDidFinish = defineNotification('runs/didFinish', runSummary);
