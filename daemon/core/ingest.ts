// ingest: judge every line of a file and append the high-quality, new ones to the training
// dataset. assess: the same judging, nothing appended. Lines are handled in batches so a
// remote judge works concurrently and each batch is stored with one fsync.
import type { Assessor } from '../assess/Assessor';
import { withHint } from '../errors/DomainError';
import type { Metrics } from '../metrics';
import type { Annotation, IngestResult, LineAssessment } from '../protocol';
import type { SampleRecord } from '../store/sampleCheck';
import { chunks, type LineSource } from './lineSource';

/** Lines judged together and stored with one group of fsyncs. */
const BATCH = 512;

export interface IngestDeps {
  assessor: Assessor;
  metrics: Metrics;
  has(id: string): boolean;
  append(samples: SampleRecord[]): Promise<void>;
  /** Called after each stored batch, so the threshold is checked as samples arrive. */
  afterBatch(): Promise<void>;
}

export type Progress = (fraction: number, message: string) => void;

export async function ingest(deps: IngestDeps, source: LineSource, progress: Progress): Promise<IngestResult> {
  const result: IngestResult = { path: source.shown, lines: 0, accepted: 0, rejected: 0, duplicates: 0, invalid: [], errors: [] };
  const seen = new Set<string>();
  // Each batch is stored while the next one is judged: the fsyncs wait on the disk, the judge
  // on the CPU. A storing failure is kept and thrown at the next await, never left unhandled.
  let storing: Promise<void> = Promise.resolve();
  let failure: unknown;
  const settle = async () => {
    await storing;
    if (failure !== undefined) throw failure;
  };
  for await (const batch of chunks(source.lines, BATCH)) {
    const fresh: { line: number; id: string; sample: SampleRecord }[] = [];
    for (const l of batch) {
      result.lines++;
      if (l.error !== undefined || !l.sample || !l.id) {
        result.invalid.push({ line: l.line, error: l.error ?? 'not a sample' });
        deps.metrics.samplesInvalid.inc();
      } else if (seen.has(l.id) || deps.has(l.id)) {
        result.duplicates++;
      } else {
        seen.add(l.id);
        fresh.push({ line: l.line, id: l.id, sample: l.sample });
      }
    }
    const judged = await Promise.allSettled(fresh.map((f) => deps.assessor.judgeOne(f.id, f.sample)));
    const keep: SampleRecord[] = [];
    const verdicts = [];
    for (const [i, outcome] of judged.entries()) {
      if (outcome.status === 'rejected') {
        result.errors.push({ line: fresh[i].line, error: withHint(outcome.reason) });
        continue;
      }
      verdicts.push(outcome.value);
      if (outcome.value.verdict === 'accepted') {
        keep.push(fresh[i].sample);
        result.accepted++;
      } else result.rejected++;
    }
    await settle();
    const last = batch[batch.length - 1];
    const note = `${result.lines} lines: ${result.accepted} kept, ${result.rejected} rejected`;
    storing = (async () => {
      // Verdicts first: a crash between the two writes leaves a judged-but-unstored sample
      // (re-ingest stores it), never a stored sample without its score.
      await deps.assessor.record(verdicts);
      await deps.append(keep);
      await deps.afterBatch();
      progress(source.totalBytes ? (last.offset + last.length) / source.totalBytes : 1, note);
    })().catch((err: unknown) => {
      failure = err;
    });
  }
  await settle();
  return result;
}

export async function assess(
  deps: Pick<IngestDeps, 'assessor'> & { annotationOf(id: string): Annotation | undefined },
  source: LineSource,
  progress: Progress,
): Promise<LineAssessment[]> {
  const out: LineAssessment[] = [];
  for await (const batch of chunks(source.lines, BATCH)) {
    const judged = await Promise.allSettled(batch.map((l) => (l.sample && l.id ? deps.assessor.judgeOne(l.id, l.sample) : Promise.reject(new Error(l.error)))));
    const verdicts = [];
    for (const [i, outcome] of judged.entries()) {
      const l = batch[i];
      if (outcome.status === 'fulfilled') {
        verdicts.push(outcome.value);
        out.push({ line: l.line, id: l.id, assessment: outcome.value, annotation: deps.annotationOf(l.id!) ?? null });
      } else out.push({ line: l.line, ...(l.id ? { id: l.id } : {}), error: withHint(outcome.reason) });
    }
    // Scores are kept (keyed by sample hash) so the editor can show them; the file is untouched.
    await deps.assessor.record(verdicts);
    const last = batch[batch.length - 1];
    progress(source.totalBytes ? (last.offset + last.length) / source.totalBytes : 1, `${out.length} lines judged`);
  }
  return out;
}
