// How the consistency signals combine into one score: a logistic model over the log of each
// support signal and the count of unsupported names and numbers, i.e. a weighted geometric mean
// of the supports with a penalty per invented name and per invented number. The weights are data, fitted on labelled
// summaries by scripts/fit-judge.ts, and read from heuristic/calibration/consistency-model.json.
import { z } from 'zod';
import { sigmoid } from '../../calibration/logistic';
import model from '../calibration/consistency-model.json';
import type { ConsistencySignals } from './consistency';

export const SUPPORT_SIGNALS = ['trigramPrecision', 'linkPrecision', 'cooccurrence', 'contentPrecision', 'alignment'] as const;

const modelSchema = z.object({
  format: z.literal(1),
  /** Added before the log, so a signal of 0 is a large penalty rather than minus infinity. */
  eps: z.number().positive(),
  weights: z.object(Object.fromEntries(SUPPORT_SIGNALS.map((s) => [s, z.number()])) as Record<(typeof SUPPORT_SIGNALS)[number], z.ZodNumber>),
  /** Log-odds added per unsupported name, and per unsupported number (negative). */
  perUnsupportedName: z.number(),
  perUnsupportedNumber: z.number(),
  bias: z.number(),
  fitted: z.object({ on: z.string(), labels: z.number().int(), at: z.string() }),
});
export type ConsistencyModel = z.infer<typeof modelSchema>;

export const CONSISTENCY_MODEL: ConsistencyModel = modelSchema.parse(model);

/** The model's inputs in a fixed order: log supports, then the unsupported names and numbers. */
export function modelInputs(s: ConsistencySignals, eps: number): number[] {
  const names = s.unsupported.filter((f) => f.kind === 'name').length;
  return [...SUPPORT_SIGNALS.map((k) => Math.log(s[k] + eps)), names, s.unsupported.length - names];
}

export function consistencyScore(s: ConsistencySignals, m: ConsistencyModel = CONSISTENCY_MODEL): number {
  const x = modelInputs(s, m.eps);
  const n = SUPPORT_SIGNALS.length;
  const t = m.bias + SUPPORT_SIGNALS.reduce((acc, k, i) => acc + m.weights[k] * x[i], 0) + m.perUnsupportedName * x[n] + m.perUnsupportedNumber * x[n + 1];
  return sigmoid(t);
}
