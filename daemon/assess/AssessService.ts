// Judging and re-judging samples, always in batches (judgeBatch), and what people say about
// them: a sample a client sends, a file ingested or assessed, the dataset's lines without a
// score, lines of an open editor, an explicit re-judge, annotations. It tells whoever wired it
// when verdicts of the training dataset may have changed, since the threshold counts those.
import { EventEmitter } from 'node:events';
import type { Config } from '../config';
import { DomainError, withHint } from '../errors/DomainError';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { Annotation, Assessment, IngestResult, LineAssessment, SampleRow } from '../protocol';
import type { DatasetChange, DatasetEntry, DatasetStore } from '../store/DatasetStore';
import type { SampleRecord } from '../store/sampleCheck';
import { sampleId } from '../store/sampleId';
import { relativeToWorkspace } from '../workspace/insideWorkspace';
import type { Layout } from '../workspace/layout';
import type { AssessmentBrief } from './AssessmentBriefs';
import type { Assessor } from './Assessor';
import { assess, ingest, type Progress } from './ingest';
import { judgeBatch, type ToJudge } from './judgeBatch';
import type { LabelledSample } from './labelledSamples';
import type { LatestById } from './LatestById';
import { openLineSource, type SourceParams } from './lineSource';
import { AnnotationsBySlot } from './annotationsBySlot';
import type { FilterSource } from './sampleFilter';
import { sampleLookup, type Lookup } from './sampleView';

/** Editor lines are judged this many at a time, yielding between batches. */
const EDITOR_BATCH = 64;
/** The dataset's unjudged lines, this many at a time. */
const DATASET_BATCH = 64;
/** The dataset is read in pages of this many samples. */
const DATASET_PAGE = 1000;

export interface AssessEvents {
  /** A sample got a verdict; `path` is the workspace-relative file it is in, when known. */
  assessed: [string | null, Assessment];
  /** The training dataset, or what people said about its samples, changed. */
  datasetChanged: [string];
}

export interface AssessDeps {
  layout: Layout;
  config(): Config;
  store: DatasetStore;
  assessor: Assessor;
  annotations: LatestById<Annotation>;
  /** The text of every sample a person labelled, so labels outlive edits to their lines. */
  labelled: LatestById<LabelledSample>;
  log: Logger;
  metrics: Metrics;
  /**
   * Verdicts of training-dataset samples may have changed; awaited, so a reply follows the
   * recount. `ids`: the only samples added, judged or labelled (left out: count everything again).
   */
  verdictsChanged(ids?: readonly string[]): Promise<void>;
}

export interface Annotate {
  id: string;
  action: Annotation['action'];
  output?: string;
  note?: string;
  sample?: { input: string; output: string };
}

/** The training dataset's lines for the explorer's filters (AssessService.datasetFilter). */
export interface TrainingLines {
  invalid: number;
  positions(): Iterable<number>;
  idAt(position: number): string;
  source: FilterSource<number>;
}

export class AssessService extends EventEmitter<AssessEvents> {
  private readonly annotationsBySlot: AnnotationsBySlot;
  private outdatedPass: Promise<void> | null = null;
  private outdatedAgain = false;
  private closing = false;

  constructor(private readonly d: AssessDeps) {
    super();
    this.annotationsBySlot = new AnnotationsBySlot(d.annotations, d.store.sampleIds);
  }

  /** What the editor shows for sample ids, under the current judge and gate. */
  lookup(): Lookup {
    return sampleLookup(this.d.assessor, this.d.annotations, this.d.config().judge.min_average);
  }

  /** The recorded assessment of a sample, as it was given (no re-gating). */
  recorded(id: string): Assessment | undefined {
    return this.d.assessor.stored.get(id);
  }

  /** What the recorded assessment's verdict was decided from, from memory (for passes over many samples). */
  brief(id: string): AssessmentBrief | undefined {
    return this.d.assessor.stored.brief(id);
  }

  annotation(id: string): Annotation | undefined {
    return this.d.annotations.get(id);
  }

  /**
   * The training dataset's valid lines, named by position in the store's index, with what the
   * explorer's filters read about each (by slot, from memory: no file read, no string per line),
   * and its count of invalid lines.
   */
  async datasetFilter(): Promise<TrainingLines> {
    await this.d.store.refresh();
    const { store, assessor } = this.d;
    const slots = store.lineSlots();
    return {
      invalid: store.invalidCount,
      positions: () => slots.keys(),
      idAt: (position) => store.sampleIds.idAt(slots[position]),
      source: {
        verdict: (position) => assessor.recordedVerdictAt(slots[position]),
        score: (position, criterion) => assessor.stored.scoreAt(slots[position], criterion),
        annotation: (position) => this.annotationsBySlot.get(slots[position]),
      },
    };
  }

  /** The training dataset's samples at these positions (as datasetFilter named them), each read at its byte offset. */
  async datasetEntriesAt(lines: readonly { id: string; position: number }[]): Promise<DatasetEntry[]> {
    const out: DatasetEntry[] = [];
    for (const l of lines) {
      // An edit since datasetFilter may have moved a sample: then it is found by its id.
      const [entry] = await this.d.store.entries(l.position, 1);
      const found = entry?.id === l.id ? entry : await this.d.store.entryOf(l.id);
      if (found) out.push(found);
    }
    return out;
  }

  get judgeInfo(): { name: string; version: string } {
    return this.d.assessor.judgeInfo;
  }

  /** Only a cheap judge runs unasked; an LLM judge scores editor lines on an explicit re-judge. */
  get judgesInBackground(): boolean {
    return this.d.config().judge.provider === 'heuristic';
  }

  async submit(raw: SampleRecord): Promise<{ id: string; assessment: Assessment; stored: boolean; duplicate: boolean }> {
    const { store, log } = this.d;
    const id = sampleId(raw);
    const [judged] = (await judgeBatch(this.d.assessor, [{ id, sample: raw }])).results;
    if ('error' in judged) throw judged.error;
    const { assessment } = judged;
    let stored = false;
    let duplicate = store.has(id);
    if (assessment.verdict === 'accepted' && !duplicate) {
      const result = await store.append([raw]);
      stored = result.appended.length > 0;
      duplicate = result.duplicates.length > 0;
    }
    log.info('sample.assessed', `sample ${id.slice(0, 12)}: average ${assessment.average.toFixed(2)}, ${assessment.verdict}${stored ? ', stored' : ''}`, {
      id,
      scores: assessment.scores,
    });
    this.emit('assessed', stored ? this.datasetPath : null, assessment);
    await this.d.verdictsChanged([id]);
    return { id, assessment, stored, duplicate };
  }

  async ingestFile(params: SourceParams, progress: Progress, signal?: AbortSignal): Promise<IngestResult> {
    const { store, log } = this.d;
    const source = openLineSource(this.d.layout.workspace, params, this.d.config().dataset.max_line_bytes);
    log.info('ingest.start', `ingesting ${source.shown}`);
    const deps = {
      assessor: this.d.assessor,
      metrics: this.d.metrics,
      has: (id: string) => store.has(id),
      append: async (samples: SampleRecord[]) => void (await store.append(samples)),
      afterBatch: (ids: string[]) => this.d.verdictsChanged(ids),
    };
    let result: IngestResult;
    try {
      result = await ingest(deps, source, progress, signal);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'cancelled') {
        log.info('ingest.cancelled', error.message);
        this.emit('datasetChanged', this.datasetPath); // batches stored before the cancel
      }
      throw error;
    }
    log.info(
      'ingest.done',
      `${result.path}: ${result.accepted} kept, ${result.rejected} rejected, ${result.duplicates} duplicates, ${result.invalid.length} invalid, ${result.errors.length} judge errors`,
      { ...result, invalid: result.invalid.slice(0, 50), errors: result.errors.slice(0, 50) },
    );
    if (result.accepted) this.emit('datasetChanged', this.datasetPath);
    return result;
  }

  async assessFile(params: SourceParams, progress: Progress, signal?: AbortSignal): Promise<{ path: string; lines: LineAssessment[] }> {
    const source = openLineSource(this.d.layout.workspace, params, this.d.config().dataset.max_line_bytes);
    const lines = await assess({ assessor: this.d.assessor, annotationOf: (id) => this.d.annotations.get(id) }, source, progress, signal);
    return { path: source.shown, lines };
  }

  async annotate(params: Annotate): Promise<Annotation> {
    const { sample, ...fields } = params;
    if (sample && sampleId(sample) !== params.id) {
      throw new DomainError('usage', `the sample sent does not have id ${params.id}`, 'send the id of the sample whose text is sent (its line may have changed since the id was read)');
    }
    if (!sample && !this.d.store.has(params.id) && !this.d.assessor.stored.has(params.id)) {
      throw new DomainError('sample-not-found', `no sample with id ${params.id}`, 'the sample must be in the training dataset or judged first: ingest or assess its file, then use the id shown in the dataset explorer or by samples/list');
    }
    const item: Annotation = { ...fields, at: new Date().toISOString() };
    await this.d.annotations.record([item]);
    // An Accept or Reject is a label for judge/eval: keep its text where the client sent it.
    if (sample && (params.action === 'accept' || params.action === 'reject') && !this.d.labelled.get(params.id)) {
      await this.d.labelled.record([{ id: params.id, input: sample.input, output: sample.output, at: item.at }]);
    }
    this.d.log.info('sample.annotated', `sample ${params.id.slice(0, 12)}: ${params.action}`, { id: params.id, action: params.action });
    this.emit('datasetChanged', this.datasetPath);
    await this.d.verdictsChanged([params.id]);
    return item;
  }

  /** The training dataset's samples, paged, with their verdicts. */
  async listSamples(offset: number, limit: number): Promise<{ total: number; items: SampleRow[] }> {
    const { store, assessor, annotations } = this.d;
    const entries = await store.entries(offset, limit);
    return {
      total: store.size,
      items: entries.map((e) => ({
        line: e.line,
        id: e.id,
        input: e.sample.input,
        output: e.sample.output,
        assessment: assessor.cached(e.id) ?? assessor.stored.get(e.id) ?? null,
        annotation: annotations.get(e.id) ?? null,
      })),
    };
  }

  /** A sample of the training dataset by id, read from the file at its line. */
  async findInDataset(id: string): Promise<SampleRecord | undefined> {
    return (await this.d.store.entryOf(id))?.sample;
  }

  /** Lines added by hand (an editor, git) have no score yet: judge them so they count. */
  async judgeUnjudged(only?: readonly string[]): Promise<void> {
    const { store, assessor } = this.d;
    const missing: ToJudge[] = [];
    if (only) {
      for (const id of only) {
        const e = assessor.stored.has(id) ? undefined : await store.entryOf(id);
        if (e) missing.push(e);
      }
    } else {
      await store.refresh();
      // Which lines lack a score is known from the samples' slots alone: only pages holding one are read.
      const pages = new Set<number>();
      store.lineSlots().forEach((slot, position) => {
        if (!assessor.stored.hasAt(slot)) pages.add(Math.floor(position / DATASET_PAGE));
      });
      for (const page of pages) {
        for (const e of await store.entries(page * DATASET_PAGE, DATASET_PAGE)) if (!assessor.stored.has(e.id)) missing.push(e);
      }
    }
    if (missing.length === 0) return;
    this.d.log.info('dataset.judge', `judging ${missing.length} samples of ${this.datasetPath} that have no score yet`);
    await this.judgeDatasetSamples(missing);
  }

  /**
   * Samples of the dataset scored by another judge (a new provider or version; a new calibration
   * re-maps stored scores instead) keep that verdict until judged again. A cheap judge re-judges
   * them in the background, one pass at a time, recounting the threshold after each batch; an LLM
   * judge is not run over the whole dataset unasked, so the log says how to do it.
   */
  rejudgeOutdated(): Promise<void> {
    if (this.outdatedPass) {
      this.outdatedAgain = true;
      return this.outdatedPass;
    }
    this.outdatedPass = (async () => {
      do {
        this.outdatedAgain = false;
        await this.rejudgeOutdatedOnce();
      } while (this.outdatedAgain && !this.closing);
    })()
      .catch((err: unknown) => this.d.log.warn('dataset.rejudge', `re-judging samples scored by an older judge stopped: ${withHint(err)}`))
      .finally(() => (this.outdatedPass = null));
    return this.outdatedPass;
  }

  /** Stops background judging (after the batch in flight) before the stores close. */
  async close(): Promise<void> {
    this.closing = true;
    await this.outdatedPass;
  }

  private async rejudgeOutdatedOnce(): Promise<void> {
    const outdated = await this.outdated();
    if (outdated.length === 0) return;
    const { log } = this.d;
    if (!this.judgesInBackground) {
      log.info('dataset.outdated', `${outdated.length} samples of ${this.datasetPath} keep the verdict of an older judge until re-judged (finetune assess ${this.datasetPath}, or Re-judge in the editor)`);
      return;
    }
    log.info('dataset.rejudge', `re-judging ${outdated.length} samples of ${this.datasetPath} scored by an older judge`);
    const done = await this.judgeDatasetSamples(outdated, { recount: true, stop: () => this.closing || this.outdatedAgain });
    log.info('dataset.rejudge', `re-judged ${done} of ${outdated.length} samples scored by an older judge`);
  }

  /**
   * The dataset's samples another judge scored. Found from the ids alone (yielding now and then, so
   * a large dataset does not hold up requests); only pages holding one are read.
   */
  private async outdated(): Promise<ToJudge[]> {
    const { store, assessor } = this.d;
    const pages = new Set<number>();
    // A copy: the dataset may grow while this pass yields.
    const slots = store.lineSlots().slice();
    for (let at = 0; at < slots.length; at++) {
      if (at % 100_000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (assessor.isOutdatedAt(slots[at])) pages.add(Math.floor(at / DATASET_PAGE));
    }
    const out: ToJudge[] = [];
    for (const page of pages) {
      for (const e of await store.entries(page * DATASET_PAGE, DATASET_PAGE)) if (assessor.isOutdated(e.id)) out.push(e);
    }
    return out;
  }

  /** Judges and records dataset samples in batches (recounting after each when asked); returns how many were judged. */
  private async judgeDatasetSamples(items: ToJudge[], opts: { recount?: boolean; stop?: () => boolean } = {}): Promise<number> {
    let done = 0;
    for (let i = 0; i < items.length && !opts.stop?.(); i += DATASET_BATCH) {
      const batch = items.slice(i, i + DATASET_BATCH);
      const { failures } = await judgeBatch(this.d.assessor, batch);
      for (const f of failures) this.d.log.warn('judge.error', withHint(f.error));
      done += batch.length;
      if (opts.recount) await this.d.verdictsChanged(batch.map((b) => b.id));
    }
    return done;
  }

  /**
   * The training dataset changed on disk (an editor, git): its new lines are judged so they count.
   * When lines were only appended, only those are looked at.
   */
  async datasetEdited(change: DatasetChange = {}): Promise<void> {
    const { store, log } = this.d;
    const what = change.appended ? `${change.appended.length} samples appended` : 're-indexed';
    log.info('dataset.edited', `${this.datasetPath} changed on disk; ${what} (${store.size} samples, ${store.invalidCount} invalid lines)`);
    await this.judgeUnjudged(change.appended);
    this.emit('datasetChanged', this.datasetPath);
    await this.d.verdictsChanged(change.appended);
  }

  /**
   * Judges and records lines of an open editor in batches, stopping early when `stale` says the
   * text moved on; returns the ids judged.
   */
  async judgeEditorLines(items: ToJudge[], stale: () => boolean): Promise<Set<string>> {
    const { assessor, store, log } = this.d;
    const judged = new Set<string>();
    let failures = 0;
    let lastError = '';
    for (let i = 0; i < items.length && !stale(); i += EDITOR_BATCH) {
      // Another editor may have had some judged meanwhile.
      const batch = items.slice(i, i + EDITOR_BATCH).filter((x) => !assessor.stored.has(x.id));
      const result = await judgeBatch(assessor, batch);
      failures += result.failures.length;
      if (result.failures.length) lastError = withHint(result.failures.at(-1)!.error);
      for (const a of result.assessments) judged.add(a.id);
      await new Promise((r) => setImmediate(r));
    }
    if (failures) log.warn('judge.error', `judging editor lines: ${failures} failed (last: ${lastError})`);
    if (judged.size === 0) return judged;
    log.debug('lsp.judged', `judged ${judged.size} editor lines in the background`);
    if ([...judged].some((id) => store.has(id))) await this.d.verdictsChanged([...judged]);
    return judged;
  }

  /** Judges one sample again, ignoring its recorded verdict (samples/rejudge); `path` is where it is, when known. */
  async rejudge(found: ToJudge & { path: string | null }, signal?: AbortSignal): Promise<Assessment> {
    const [judged] = (await judgeBatch(this.d.assessor, [found], { force: true, signal })).results;
    if ('error' in judged) throw judged.error;
    const { assessment } = judged;
    this.d.log.info('sample.rejudged', `sample ${found.id.slice(0, 12)} re-judged: average ${assessment.average.toFixed(2)}, ${assessment.verdict}`, {
      id: found.id,
      scores: assessment.scores,
    });
    this.emit('assessed', found.path, assessment);
    if (this.d.store.has(found.id)) await this.d.verdictsChanged([found.id]);
    return assessment;
  }

  /** The training dataset, relative to the workspace. */
  get datasetPath(): string {
    return relativeToWorkspace(this.d.layout.workspace, this.d.layout.dataset);
  }
}
