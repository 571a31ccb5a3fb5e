import { z } from 'zod';
import { defineNotification, defineRequest } from './define';
import { annotation, annotationAction, assessment, sampleText, workspacePath } from './common';

export const sampleInput = z.object({ input: sampleText, output: sampleText }).catchall(z.unknown());

export const SamplesSubmit = defineRequest(
  'samples/submit',
  z.object({ sample: sampleInput }),
  z.object({
    id: z.string(),
    assessment,
    /** True when the sample was appended to the training dataset just now. */
    stored: z.boolean(),
    duplicate: z.boolean(),
  }),
);

export const sampleRow = z.object({
  line: z.number().int(),
  id: z.string(),
  input: z.string(),
  output: z.string(),
  assessment: assessment.nullable(),
  annotation: annotation.nullable(),
});
export type SampleRow = z.infer<typeof sampleRow>;

/** The dataset explorer's filters: with any of them, samples/list pages the matching samples of the file. */
export const sampleFilter = z.object({
  /** The verdict that counts (a person's over the judge's; a correction counts as accepted). */
  verdict: z.enum(['accepted', 'rejected', 'unjudged']).optional(),
  /** Only samples a person accepted, rejected or corrected (notes do not count). */
  overridesOnly: z.boolean().optional(),
  /** Order by the judge's score on this criterion, highest first (unscored samples last), instead of by line. */
  sortBy: z.string().min(1).max(100).optional(),
});
export type SampleFilter = z.infer<typeof sampleFilter>;

export const SamplesList = defineRequest(
  'samples/list',
  z.object({
    /** A JSONL file in the workspace (paged by line), or the training dataset (paged by sample) when left out. */
    path: workspacePath.optional(),
    /** `offset` counts lines, or with a filter matching samples. */
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    filter: sampleFilter.optional(),
  }),
  /** total: lines in the file (or samples in the training dataset), or with a filter the samples matching it. */
  z.object({ total: z.number().int(), items: z.array(sampleRow) }),
);

export const SamplesAnnotate = defineRequest(
  'samples/annotate',
  z
    .object({
      id: z.string().min(1),
      action: annotationAction,
      output: z.string().optional(),
      note: z.string().max(10_000).optional(),
      /**
       * The sample's text, when the client has it: kept with an Accept / Reject so the label can
       * measure the judge (`judge/eval`) after the line changes, and lets a never-judged line be labelled.
       */
      sample: z.object({ input: sampleText, output: sampleText }).optional(),
    })
    .refine((p) => p.action !== 'correct' || (p.output !== undefined && p.output.trim() !== ''), {
      message: 'a correction needs a non-empty "output"',
      path: ['output'],
    }),
  annotation,
);

export const SamplesDidAssess = defineNotification('samples/didAssess', z.object({ path: z.string().nullable(), assessment }));

/**
 * Judge one sample again, ignoring a stored verdict (judge prompts or the sample's context
 * changed): by id (a line of an open document or the training dataset), or by document URI and
 * 0-based line (the editor's unsaved text when open there, else the file on disk).
 */
export const SamplesRejudge = defineRequest(
  'samples/rejudge',
  z.union([z.object({ id: z.string().min(1) }), z.object({ uri: z.string().min(1).max(8192), line: z.number().int().min(0) })]),
  z.object({ id: z.string(), assessment }),
);
