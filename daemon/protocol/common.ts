import { z } from 'zod';
import { unicodeProblem } from './unicode';

export const taskType = z.enum(['summarization', 'classification', 'qa']);

export const verdict = z.enum(['accepted', 'rejected']);
export type Verdict = z.infer<typeof verdict>;

/** A judge's assessment of one sample, as stored and as shown. */
export const assessment = z.object({
  id: z.string(),
  task: taskType,
  scores: z.record(z.string(), z.number().min(0).max(1)),
  rationale: z.record(z.string(), z.string()),
  average: z.number().min(0).max(1),
  verdict,
  /** The gate rule that rejected the sample, e.g. "consistency 0.41 < 0.8" (absent when accepted). */
  rejectedBy: z.string().optional(),
  judge: z.string(),
  judgeVersion: z.string(),
  /** The provider's scores before the calibration turned them into `scores` (absent: not calibrated). */
  raw: z.record(z.string(), z.number().min(0).max(1)).optional(),
  /** The provider's version under the calibration; with `raw`, a new calibration re-maps the scores. */
  rawVersion: z.string().optional(),
  at: z.string(),
});
export type Assessment = z.infer<typeof assessment>;

export const annotationAction = z.enum(['accept', 'reject', 'correct', 'note']);

/** A person's override or remark on a sample; the latest per sample wins. */
export const annotation = z.object({
  id: z.string(),
  action: annotationAction,
  output: z.string().optional(),
  note: z.string().optional(),
  at: z.string(),
});
export type Annotation = z.infer<typeof annotation>;

export const sampleText = z
  .string()
  .min(1, 'must not be empty')
  .superRefine((text, ctx) => {
    const problem = unicodeProblem(text);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });

export const invalidLine = z.object({ line: z.number().int(), error: z.string() });
export type InvalidLine = z.infer<typeof invalidLine>;

/** A workspace-relative path; the daemon refuses anything that resolves outside the workspace. */
export const workspacePath = z.string().min(1).max(4096);
