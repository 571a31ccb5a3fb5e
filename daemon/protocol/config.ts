import { z } from 'zod';
import { defineNotification, defineRequest } from './define';

/** The settings of config/models.yml in effect (defaults filled in), as clients show them. */
export const effectiveConfig = z.object({
  finetuning: z.object({
    /** True when a run starts by itself at the threshold. */
    enabled: z.boolean(),
    threshold: z.number().int(),
    baseModel: z.string(),
    task: z.string(),
    /** lora | qlora | full */
    method: z.string(),
    /** auto | docker | local */
    runner: z.string(),
    batchSize: z.number().int(),
    learningRate: z.number(),
    epochs: z.number(),
    outputDir: z.string(),
  }),
  judge: z.object({ provider: z.string(), minAverage: z.number() }),
  dataset: z.object({ path: z.string(), glob: z.string() }),
});
export type EffectiveConfig = z.infer<typeof effectiveConfig>;

export const configState = z.object({
  config: effectiveConfig,
  /** Set when config/models.yml on disk is invalid: `config` is then the last good one. */
  error: z.string().nullable(),
});
export type ConfigState = z.infer<typeof configState>;

export const ConfigGet = defineRequest('config/get', z.object({}).optional(), configState);
/** The daemon re-read config/models.yml: a new config applied, or an invalid edit refused (error set). */
export const ConfigDidReload = defineNotification('config/didReload', configState);
