// What makes a parsed JSONL value a training sample, with messages that name what is wrong.
import type { Sample } from '../judge/types';
import { unicodeProblem } from '../protocol/unicode';
import { sampleId } from './sampleId';

/** A sample as stored: input and output, plus whatever other fields the user keeps (preserved). */
export type SampleRecord = Sample & { [field: string]: unknown };

export type SampleCheck = { sample: SampleRecord; id: string; error?: undefined } | { error: string; sample?: undefined; id?: undefined };

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

// Fields other dataset formats use, so the message can say which one to rename.
const ALIASES: Record<'input' | 'output', string[]> = {
  input: ['prompt', 'question', 'instruction', 'source', 'text'],
  output: ['completion', 'response', 'answer', 'summary', 'target', 'label'],
};

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

function missingMessage(record: Record<string, unknown>, missing: ('input' | 'output')[]): string {
  const names = missing.map((k) => `"${k}"`).join(' and ');
  if (has(record, 'messages')) return `missing ${names} (found "messages": chat format is not supported; each line needs "input" and "output" strings)`;
  const hints = missing.flatMap((k) => {
    const alias = ALIASES[k].find((a) => has(record, a));
    return alias ? [`rename "${alias}" to "${k}"`] : [];
  });
  return hints.length ? `missing ${names} (${hints.join(', ')}?)` : `missing ${names}`;
}

export function checkSample(value: unknown): SampleCheck {
  const error = sampleProblem(value);
  if (error !== undefined) return { error };
  const sample = value as SampleRecord;
  return { sample, id: sampleId(sample) };
}

/** What makes `value` not a sample, or undefined; without computing its id (the daemon's own journals carry it). */
export function sampleProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `not a JSON object: got ${describeType(value)}`;
  }
  const record = value as Record<string, unknown>;
  const missing = (['input', 'output'] as const).filter((k) => !has(record, k));
  if (missing.length) return missingMessage(record, missing);
  for (const key of ['input', 'output'] as const) {
    const field = record[key];
    if (typeof field !== 'string') return `"${key}" must be a string, got ${describeType(field)}`;
    if (field.length === 0) return `"${key}" is empty`;
    if (field.trim().length === 0) return `"${key}" is only whitespace`;
    const bad = unicodeProblem(field);
    if (bad) return `"${key}" is ${bad}`;
  }
  return undefined;
}
