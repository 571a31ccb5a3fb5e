// The trainer's events (docker/flywheel_trainer/events.py): the one schema for the JSON lines
// finetune.py prints on stdout, checked against the real trainer by test/e2e/trainerEvents.test.ts.
// Strict, so a field the trainer starts sending fails that test until it is described here.
import { z } from 'zod';

const time = z.number();
const count = z.number().int().nonnegative();
/** A number the trainer could not compute (NaN, inf) arrives as null. */
const measure = z.number().nullable();

const event = <E extends string, S extends z.ZodRawShape>(name: E, shape: S) => z.strictObject({ event: z.literal(name), time, ...shape });

export const trainerEvent = z.discriminatedUnion('event', [
  event('stage', {
    stage: z.enum(['loading_data', 'loading_model', 'evaluating', 'training', 'saving', 'merging']),
    base_model: z.string().optional(),
    phase: z.enum(['before', 'after']).optional(),
  }),
  event('started', {
    run_id: z.string().nullable(),
    task: z.string(),
    method: z.string(),
    base_model: z.string(),
    base_source: z.string(),
    tiny: z.boolean(),
    seq2seq: z.boolean(),
    device: z.string(),
    gpu: z.string().nullable(),
    dtype: z.string(),
    total_steps: count,
    train_samples: count,
    eval_samples: count,
    truncated_inputs: count,
    trainable_params: count,
    total_params: count,
    resumed_from: z.string().nullable(),
    dataset_hash: z.string(),
    /** Data-parallel processes (torchrun) and how they share the model; batch_size × accumulation × processes. */
    processes: count,
    strategy: z.enum(['ddp', 'fsdp', 'zero3']),
    effective_batch_size: count,
    /** Padding-free packed batches, the attention implementation and the fused kernels in use (none on a CPU). */
    kernels: z.strictObject({ attention: z.string(), packing: z.boolean(), fused: z.array(z.string()) }),
  }),
  event('progress', {
    step: count,
    total_steps: count,
    epoch: measure,
    loss: measure,
    learning_rate: measure,
    grad_norm: measure,
    tokens_per_second: measure,
    eta_seconds: measure,
  }),
  event('eval', { phase: z.enum(['before', 'after']), metrics: z.record(z.string(), measure) }),
  event('checkpoint', { step: count, path: z.string() }),
  event('saved', { path: z.string(), kind: z.enum(['merged', 'full', 'adapter']), adapter_dir: z.string().nullable() }),
  event('completed', { metrics: z.record(z.string(), z.unknown()), output_dir: z.string() }),
  event('failed', { reason: z.string(), hint: z.string().nullable(), kind: z.string() }),
  event('cancelled', { step: count.nullable(), checkpoint: z.string().nullable(), signal: z.string().nullable() }),
]);

export type TrainerEvent = z.infer<typeof trainerEvent>;
export type TrainerEventOf<E extends TrainerEvent['event']> = Extract<TrainerEvent, { event: E }>;

/**
 * One stdout line of the trainer: an event, a problem (a JSON line that is not a known, well-formed
 * event: it is logged with the line and otherwise ignored), or undefined for plain output.
 */
export function readTrainerLine(line: string): { event: TrainerEvent } | { problem: string } | undefined {
  if (!line.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { problem: `not JSON (${(err as Error).message})` };
  }
  const parsed = trainerEvent.safeParse(value);
  if (parsed.success) return { event: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  return { problem: `${where}${issue?.message ?? 'not a trainer event'}` };
}
