import { z } from 'zod';
import { defineNotification, defineRequest } from './define';
import { annotation, assessment, invalidLine, workspacePath } from './common';
import { progressToken } from './progress';

/**
 * A file in the workspace, or for files elsewhere the text itself (or, when it is not valid
 * UTF-8, its bytes in base64, so each bad line gets the same error as the file would), named for
 * messages.
 */
export const lineSourceParams = z.union([
  z.object({ path: workspacePath, progressToken: progressToken.optional() }),
  z.object({ name: z.string().min(1).max(4096), content: z.string(), progressToken: progressToken.optional() }),
  z.object({ name: z.string().min(1).max(4096), base64: z.base64(), progressToken: progressToken.optional() }),
]);

export const datasetInfo = z.object({
  path: z.string(),
  lines: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  unjudged: z.number().int(),
  invalid: z.number().int(),
  /** True for the training dataset (data/finetuning_dataset.jsonl by default). */
  training: z.boolean(),
});
export type DatasetInfo = z.infer<typeof datasetInfo>;

export const DatasetsList = defineRequest('datasets/list', z.object({}).optional(), z.array(datasetInfo));

export const ingestResult = z.object({
  path: z.string(),
  lines: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  duplicates: z.number().int(),
  invalid: z.array(invalidLine),
  errors: z.array(invalidLine),
});
export type IngestResult = z.infer<typeof ingestResult>;

/** Judge every line of a file and append the high-quality ones to the training dataset. */
export const DatasetsIngest = defineRequest(
  'datasets/ingest',
  lineSourceParams,
  ingestResult,
);

export const lineAssessment = z.object({
  line: z.number().int(),
  id: z.string().optional(),
  assessment: assessment.optional(),
  annotation: annotation.nullable().optional(),
  error: z.string().optional(),
});
export type LineAssessment = z.infer<typeof lineAssessment>;

/** Judge every line of a file without storing anything. */
export const DatasetsAssess = defineRequest(
  'datasets/assess',
  lineSourceParams,
  z.object({ path: z.string(), lines: z.array(lineAssessment) }),
);

/** Stored assessments and annotations for a line range of a file (for editor annotations). */
export const DatasetsAnnotations = defineRequest(
  'datasets/annotations',
  z.object({
    path: workspacePath,
    fromLine: z.number().int().min(1).default(1),
    toLine: z.number().int().min(1).optional(),
  }),
  z.object({ path: z.string(), totalLines: z.number().int(), lines: z.array(lineAssessment) }),
);

export const DatasetsDidChange = defineNotification('datasets/didChange', z.object({ path: z.string() }));
