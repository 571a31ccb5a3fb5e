// Collects people's labels: from the workspace's Accept / Reject overrides (their text from the
// labelled-samples journal, else from the dataset files), or from a labels file, whose bad lines
// are listed with their line number while every good line is still used.
import type { Annotation, InvalidLine } from '../protocol';
import { humanOf, humanOfOverride, type Label } from '../judge/evaluation/labels';
import type { JsonlLine } from '../store/jsonlLines';
import type { Sample } from '../judge/types';
import type { LabelledSample } from './labelledSamples';

export interface Gathered {
  labels: Label[];
  source: string;
  /** Lines of a labels file that were skipped. */
  invalid: InvalidLine[];
  /** Overrides whose sample text was not found. */
  missing: number;
}

export interface OverrideSources {
  annotations: { keys(): string[]; get(id: string): Annotation | undefined };
  labelled: { get(id: string): LabelledSample | undefined };
  /** Finds texts the journal lacks (older labels), by id. */
  find(ids: ReadonlySet<string>): Promise<Map<string, Sample>>;
}

/** Accept / Reject overrides, latest per sample. */
export function countOverrides(annotations: OverrideSources['annotations']): number {
  let n = 0;
  for (const id of annotations.keys()) if (humanOfOverride(annotations.get(id)?.action ?? '') !== undefined) n++;
  return n;
}

export async function overrideLabels(s: OverrideSources): Promise<Gathered> {
  const wanted: { id: string; human: number }[] = [];
  for (const id of s.annotations.keys()) {
    const human = humanOfOverride(s.annotations.get(id)?.action ?? '');
    if (human !== undefined) wanted.push({ id, human });
  }
  const lacking = new Set(wanted.filter((w) => !s.labelled.get(w.id)).map((w) => w.id));
  const found = lacking.size ? await s.find(lacking) : new Map<string, Sample>();
  const labels: Label[] = [];
  let missing = 0;
  for (const w of wanted) {
    const kept = s.labelled.get(w.id);
    const sample = kept ? { input: kept.input, output: kept.output } : found.get(w.id);
    if (sample) labels.push({ id: w.id, sample, human: w.human, where: `override of ${w.id.slice(0, 12)}` });
    else missing++;
  }
  return { labels, source: 'overrides', invalid: [], missing };
}

export async function fileLabels(file: { shown: string; lines: AsyncIterable<JsonlLine> }): Promise<Gathered> {
  const labels: Label[] = [];
  const invalid: InvalidLine[] = [];
  for await (const l of file.lines) {
    if (!l.sample || !l.id) {
      invalid.push({ line: l.line, error: l.error ?? 'not a sample' });
      continue;
    }
    const h = humanOf(l.sample);
    if ('error' in h) invalid.push({ line: l.line, error: h.error });
    else labels.push({ id: l.id, sample: { input: l.sample.input, output: l.sample.output }, human: h.human, where: `${file.shown}:${l.line}` });
  }
  return { labels, source: file.shown, invalid, missing: 0 };
}
