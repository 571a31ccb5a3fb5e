// The judge measured against people: its agreement with their labels (judge/eval), a
// calibration fitted on them (judge/calibrate: preview, then apply), and the saved versions.
// Labels are the Accept / Reject overrides, or a labels file of {"input", "output", "human"} lines.
import { z } from 'zod';
import { defineRequest } from './define';
import { invalidLine, workspacePath } from './common';
import { progressToken } from './progress';

/** A labels file: a workspace path the daemon reads, or the text of a file elsewhere. */
// Like lineSourceParams: a file that is not valid UTF-8 comes as base64, so each bad line gets its error.
export const labelsSource = z.union([
  z.object({ path: workspacePath }),
  z.object({ name: z.string().min(1).max(4096), content: z.string() }),
  z.object({ name: z.string().min(1).max(4096), base64: z.base64() }),
]);
export type LabelsSource = z.infer<typeof labelsSource>;

const judgeParams = z.object({
  /** Left out: the workspace's Accept / Reject overrides. */
  labels: labelsSource.optional(),
  /** The precision the suggested gate should reach (share of kept samples people accept). */
  precision: z.number().gt(0).max(1).default(0.9),
  progressToken: progressToken.optional(),
});

const ratio = z.number().nullable();

export const curve = z.object({ x: z.array(z.number()), y: z.array(z.number()) });

export const agreement = z.object({
  labels: z.number().int(),
  accepted: z.number().int(),
  base: z.number(),
  spearman: ratio,
  kendall: ratio,
  auc: ratio,
  kept: z.number().int(),
  precision: ratio,
  recall: ratio,
  criteria: z.record(z.string(), z.object({ spearman: ratio, auc: ratio })),
  gateForPrecision: z.object({ target: z.number(), minAverage: ratio, precision: ratio, recall: ratio, kept: z.number().int() }),
  /** Ten buckets of the gating score: how many labels, and the share people accepted. */
  buckets: z.array(z.object({ from: z.number(), to: z.number(), n: z.number().int(), accepted: ratio })),
});
export type Agreement = z.infer<typeof agreement>;

/** The calibration the judge applies: the workspace's own (versioned), the one it ships with, or none. */
export const calibrationInUse = z.object({
  source: z.enum(['workspace', 'shipped', 'none']),
  version: z.string().nullable(),
  labels: z.number().int().nullable(),
  fittedOn: z.string().nullable(),
  curves: z.record(z.string(), curve),
});
export type CalibrationInUse = z.infer<typeof calibrationInUse>;

const labelsInfo = {
  /** "overrides" or the labels file as named. */
  source: z.string(),
  /** Accept / Reject overrides in the workspace (whether or not they were used). */
  overrides: z.number().int(),
  /** Overrides whose sample text could not be found (its line was edited or deleted before the text was kept). */
  missing: z.number().int(),
  /** Labels-file lines that were skipped, with why. */
  invalid: z.array(invalidLine),
  /** Labels the judge could not score (an unreachable or failing judge), with why. */
  judgeErrors: z.array(z.object({ where: z.string(), error: z.string() })),
  judge: z.object({ name: z.string(), version: z.string() }),
  task: z.string(),
  gate: z.object({ minAverage: z.number(), floors: z.record(z.string(), z.number()) }),
  calibration: calibrationInUse,
  /** A workspace calibration that cannot be used (damaged, or fitted on another judge version), in words. */
  calibrationProblem: z.string().nullable(),
};

export const evalReport = agreement.extend(labelsInfo);
export type EvalReport = z.infer<typeof evalReport>;

export const JudgeEval = defineRequest('judge/eval', judgeParams, evalReport);

export const criterionFit = z.object({ name: z.string(), fitted: z.boolean(), spearman: ratio, note: z.string() });

export const calibrateReport = z.object({
  ...labelsInfo,
  /** The fitted calibration's content id: pass it back as `expect` to apply exactly what was shown. */
  id: z.string(),
  /** False when no criterion agrees with the labels better than chance: nothing to apply. */
  changes: z.boolean(),
  applied: z.boolean(),
  /** The version written when applied. */
  version: z.string().nullable(),
  criteria: z.array(criterionFit),
  curves: z.record(z.string(), curve),
  /** With the calibration in use, on these labels. */
  before: agreement,
  /** With the new calibration, cross-validated (each label scored by curves fitted without it). */
  after: agreement,
});
export type CalibrateReport = z.infer<typeof calibrateReport>;

export const JudgeCalibrate = defineRequest(
  'judge/calibrate',
  judgeParams.extend({
    /** Write the calibration and use it; otherwise only show what it would do. */
    apply: z.boolean().default(false),
    /** The id of the preview that was confirmed; the labels changed since when it differs. */
    expect: z.string().max(100).optional(),
  }),
  calibrateReport,
);

export const savedCalibration = z.object({
  version: z.string(),
  previous: z.string().nullable(),
  savedAt: z.string(),
  judge: z.string(),
  labels: z.number().int(),
  fittedOn: z.string(),
  criteria: z.array(z.string()),
  current: z.boolean(),
  /** Fitted on another judge version: the judge cannot use it. */
  stale: z.boolean(),
});

export const calibrationsResult = z.object({
  current: z.string().nullable(),
  inUse: calibrationInUse,
  problem: z.string().nullable(),
  judge: z.object({ name: z.string(), version: z.string() }),
  /** Accept / Reject overrides so far, and how many a measurement needs. */
  overrides: z.number().int(),
  needed: z.number().int(),
  versions: z.array(savedCalibration),
});
export type CalibrationsResult = z.infer<typeof calibrationsResult>;

export const JudgeCalibrations = defineRequest('judge/calibrations', z.object({}), calibrationsResult);

export const JudgeRevertCalibration = defineRequest(
  'judge/revertCalibration',
  z.object({}),
  z.object({ reverted: z.string(), current: z.string().nullable(), judge: z.object({ name: z.string(), version: z.string() }) }),
);
