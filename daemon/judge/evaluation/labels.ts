// People's labels, from the two places they come from: a labels file (one
// {"input", "output", "human"} object per line, as in the benchmark sets) and the Accept / Reject
// overrides made in the editor or with `finetune annotate`.
import type { Sample } from '../types';

export interface Label {
  id: string;
  sample: Sample;
  /** The share of the output people accept, 0..1 (1: accepted). */
  human: number;
  /** Where it came from, for messages: "labels.jsonl:12" or "override of 3f2a9c1b04de". */
  where: string;
}

/** Fewer labels than this and the figures are noise: eval and calibrate refuse, saying how many more. */
export const MIN_LABELS = 30;

/** The human label of one parsed line, or why the line has none. */
export function humanOf(record: Record<string, unknown>): { human: number } | { error: string } {
  if (!Object.prototype.hasOwnProperty.call(record, 'human')) return { error: 'missing "human" (a number from 0 to 1: the share of the output people accept, 1 = accepted)' };
  const h = record.human;
  if (typeof h !== 'number' || !Number.isFinite(h)) return { error: `"human" must be a number from 0 to 1 (1 = accepted), got ${h === null ? 'null' : typeof h}` };
  if (h < 0 || h > 1) return { error: `"human" must be from 0 to 1 (1 = accepted), got ${h}` };
  return { human: h };
}

/** An override is a label: Accept = 1, Reject = 0. Notes and corrections are not verdicts on the output. */
export function humanOfOverride(action: string): number | undefined {
  if (action === 'accept') return 1;
  if (action === 'reject') return 0;
  return undefined;
}

/** "<what>; 18 more needed ...": `what` names the labels and their count, e.g. "12 labels (overrides)". */
export function tooFewMessage(have: number, what: string): string {
  return `${what}; ${MIN_LABELS - have} more needed before the judge can be measured or calibrated on them (at least ${MIN_LABELS})`;
}
