// ingest: judge every line of a file and append the high-quality, new ones to the training
// dataset. assess: the same judging, nothing appended. Lines are handled in batches so a
// remote judge works concurrently and each batch is stored with one fsync. A cancelled request
// (the client cancelled or left) stops after the batch in flight; what was stored stays stored.
import type { Assessor } from '../assess/Assessor';
import { judgeBatch } from '../assess/judgeBatch';
import { DomainError, withHint } from '../errors/DomainError';
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
  /** Called after each stored batch with the ids judged in it, so the threshold is checked as samples arrive. */
  afterBatch(ids: string[]): Promise<void>;
}

export type Progress = (fraction: number, message: string) => void;

export async function ingest(deps: IngestDeps, source: LineSource, progress: Progress, signal?: AbortSignal): Promise<IngestResult> {
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
  const stopIfCancelled = async () => {
    if (!signal?.aborted) return;
    await settle();
    throw cancelled(`ingest of ${source.shown}`, `the ${result.accepted} high-quality samples from its first ${result.lines} lines are stored`, 'ingest the file again to go on: lines already stored are skipped as duplicates');
  };
  for await (const batch of chunks(source.lines, BATCH)) {
    await stopIfCancelled();
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
    // Recorded below, in the same background step that stores the batch.
    const judged = await judgeBatch(deps.assessor, fresh, { record: false, signal });
    // Cancelled while judging: this batch's verdicts may be cut short, so none of it is stored.
    if (signal?.aborted) result.lines -= batch.length;
    await stopIfCancelled();
    const keep: SampleRecord[] = [];
    for (const r of judged.results) {
      if ('error' in r) {
        result.errors.push({ line: r.item.line, error: withHint(r.error) });
      } else if (r.assessment.verdict === 'accepted') {
        keep.push(r.item.sample);
        result.accepted++;
      } else result.rejected++;
    }
    await settle();
    const last = batch[batch.length - 1];
    const note = `${result.lines} lines: ${result.accepted} kept, ${result.rejected} rejected`;
    storing = (async () => {
      // Verdicts first: a crash between the two writes leaves a judged-but-unstored sample
      // (re-ingest stores it), never a stored sample without its score.
      await deps.assessor.record(judged.assessments);
      await deps.append(keep);
      await deps.afterBatch(judged.assessments.map((a) => a.id));
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
  signal?: AbortSignal,
): Promise<LineAssessment[]> {
  const out: LineAssessment[] = [];
  for await (const batch of chunks(source.lines, BATCH)) {
    if (signal?.aborted) throw cancelled(`assessing ${source.shown}`, `the verdicts of its first ${out.length} lines are kept`, 'assess the file again when you want the rest: lines judged so far are not judged again');
    // Scores are kept (keyed by sample hash) so the editor can show them; the file is untouched.
    const valid = batch.flatMap((l) => (l.sample && l.id ? [{ line: l.line, id: l.id, sample: l.sample }] : []));
    const judged = new Map((await judgeBatch(deps.assessor, valid, { signal })).results.map((r) => [r.item.line, r]));
    for (const l of batch) {
      const r = judged.get(l.line);
      if (!r) out.push({ line: l.line, ...(l.id ? { id: l.id } : {}), error: l.error ?? 'not a sample' });
      else if ('error' in r) out.push({ line: l.line, id: r.item.id, error: withHint(r.error) });
      else out.push({ line: l.line, id: r.item.id, assessment: r.assessment, annotation: deps.annotationOf(r.item.id) ?? null });
    }
    const last = batch[batch.length - 1];
    progress(source.totalBytes ? (last.offset + last.length) / source.totalBytes : 1, `${out.length} lines judged`);
  }
  return out;
}

function cancelled(what: string, kept: string, hint: string): DomainError {
  return new DomainError('cancelled', `${what} cancelled; ${kept}`, hint);
}
