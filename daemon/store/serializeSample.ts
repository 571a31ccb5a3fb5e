// Turns a sample into the JSONL line the store writes, and refuses it if the line would not read
// back as a valid sample (too long, empty field, not JSON-able): nothing is ever written that
// would later show up as an invalid line.
import type { Sample } from '../judge/types';
import { describeError, formatCount, StoreError } from './errors';
import { parseRawLine, toSampleLine } from './jsonlLines';
import type { SampleRecord } from './sampleCheck';

export interface SerializedSample {
  id: string;
  /** JSON text without the newline; input and output first, other fields kept. */
  text: string;
  sample: SampleRecord;
}

export function serializeSample(sample: Sample, index: number, maxLineBytes: number): SerializedSample {
  const { input, output, ...rest } = sample as SampleRecord;
  const record: SampleRecord = { input, output, ...rest };
  let text: string;
  try {
    text = JSON.stringify(record);
  } catch (error) {
    throw new StoreError(`sample ${index} cannot be written as JSON (${describeError(error)}).`, 'Pass plain JSON data.', 'invalid');
  }
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > maxLineBytes) {
    throw new StoreError(
      `sample ${index} was not stored: it is ${formatCount(bytes.length)} bytes as a line; the limit is ${formatCount(maxLineBytes)} (dataset.max_line_bytes).`,
      'Shorten the sample or raise the limit.',
      'invalid',
    );
  }
  const parsed = parseRawLine({ line: 1, offset: 0, length: bytes.length, terminated: true, bytes }, { maxLineBytes });
  const checked = parsed ? toSampleLine(parsed) : { error: 'the line is blank', id: undefined };
  if (checked.id === undefined) throw new StoreError(`sample ${index} was not stored: ${checked.error}.`, 'Fix the sample and send it again.', 'invalid');
  return { id: checked.id, text, sample: record };
}
