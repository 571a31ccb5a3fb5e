// The text of every sample a person labelled (Accept / Reject), kept beside the annotations so
// the label stays usable for `finetune judge eval` after its line is edited, moved or deleted.
import { z } from 'zod';
import type { StoreLogger } from '../store/logger';
import { LatestById } from './LatestById';

export const labelledSample = z.object({ id: z.string().min(1), input: z.string(), output: z.string(), at: z.string() });
export type LabelledSample = z.infer<typeof labelledSample>;

export function openLabelledSamples(stateDir: string, logger: StoreLogger): Promise<LatestById<LabelledSample>> {
  return LatestById.open(stateDir, 'labelled-samples.jsonl', (v) => labelledSample.parse(v), logger);
}
