// A calibration as a versioned data file: per-criterion curves that turn a judge's raw scores
// into "share of such samples that people accept". Shipped for the built-in judge, fitted by a
// user on their own labels (`finetune judge calibrate`), never constants in code.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TASK_TYPES, type TaskType } from '../types';
import { applyCurve, type Curve } from './isotonic';

const unit = z.number().min(0).max(1);

const curveSchema = z
  .object({ x: z.array(unit).min(1), y: z.array(unit).min(1) })
  .refine((c) => c.x.length === c.y.length, { message: 'x and y must have the same number of knots' })
  .refine((c) => c.x.every((v, i) => i === 0 || v > c.x[i - 1]), { message: 'x must be strictly ascending', path: ['x'] })
  .refine((c) => c.y.every((v, i) => i === 0 || v >= c.y[i - 1]), { message: 'y must be non-decreasing', path: ['y'] });

export const calibrationSchema = z.object({
  format: z.literal(1),
  /** The raw judge version the curves were fitted on; they mean nothing for another. */
  judge: z.string().min(1),
  task: z.enum(TASK_TYPES as [TaskType, ...TaskType[]]),
  /** Where the labels came from and how many, for the model card of the calibration itself. */
  fitted: z.object({ on: z.string(), labels: z.number().int().min(0), at: z.string() }),
  /** Criteria without a curve pass through unchanged (no labels were available for them). */
  criteria: z.record(z.string(), curveSchema),
});

export type Calibration = z.infer<typeof calibrationSchema>;

/** Short content hash: part of the calibrated judge's version, so cached scores are redone. */
export function calibrationId(c: Calibration): string {
  return createHash('sha256').update(JSON.stringify({ judge: c.judge, task: c.task, criteria: c.criteria })).digest('hex').slice(0, 8);
}

/** Parses a calibration file, with every problem named by its field path. */
export function parseCalibration(value: unknown, source: string): Calibration {
  const r = calibrationSchema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new Error(`${source}: not a valid calibration: ${issues.join('; ')}`);
}

export function calibrate(c: Calibration, scores: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, raw] of Object.entries(scores)) {
    const curve: Curve | undefined = c.criteria[name];
    out[name] = curve ? applyCurve(curve, raw) : raw;
  }
  return out;
}
