// The daemon as a language server for JSONL dataset files, for every editor connection of the
// workspace: creates a session per `initialize`, tells sessions when verdicts change (new
// assessments, annotations, a new gate or judge), judges unjudged lines of open documents in
// the background, and serves samples/rejudge.
import type { CancellationToken, MessageConnection } from 'vscode-jsonrpc';
import type { Flywheel } from '../../core/Flywheel';
import type { Logger } from '../../log';
import { SamplesRejudge, type Assessment } from '../../protocol';
import type { LineLimits } from '../../store/jsonlLines';
import type { SampleRecord } from '../../store/sampleCheck';
import { relativeToWorkspace } from '../../workspace/insideWorkspace';
import { judgeBatch } from '../../assess/judgeBatch';
import { DomainError, withHint } from '../../errors/DomainError';
import { handler, type Handler } from '../dispatch';
import { DatasetMatcher } from './datasetUri';
import { readDiskLines, type LineInfo } from './lines';
import { LspSession, type EditorSession } from './LspSession';
import { lookupFor, type Lookup } from './sampleView';

export type { EditorSession } from './LspSession';

/** What the socket server needs to give a connection an editor session. */
export interface EditorSessions {
  attach(connection: MessageConnection, end: () => void, label: string): EditorSession;
}

const JUDGE_BATCH = 64;

interface Found {
  id: string;
  sample: SampleRecord;
  /** Workspace-relative file, for samples/didAssess. */
  path: string | null;
}

export class LspService implements EditorSessions {
  readonly matcher: DatasetMatcher;
  private readonly sessions = new Set<LspSession>();
  private readonly disposers: (() => void)[] = [];
  /** Background passes run one at a time, whatever the number of sessions. */
  private queue: Promise<void> = Promise.resolve();
  private settingsKey: string;

  constructor(
    private readonly fw: Flywheel,
    private readonly log: Logger,
  ) {
    this.matcher = new DatasetMatcher(fw.layout.workspace, () => ({ glob: fw.settings.dataset.glob, training: fw.layout.dataset }));
    this.settingsKey = this.currentSettingsKey();
    const onAssessed = (_path: string | null, a: Assessment) => this.changed(new Set([a.id]));
    const onDataset = () => this.changed('all');
    // A reloaded config can move the gate, change the judge or the glob: everything shown may change.
    const onStatus = () => {
      const key = this.currentSettingsKey();
      if (key === this.settingsKey) return;
      this.settingsKey = key;
      this.changed('all');
    };
    fw.on('assessed', onAssessed);
    fw.on('datasetChanged', onDataset);
    fw.on('status', onStatus);
    this.disposers.push(
      () => fw.off('assessed', onAssessed),
      () => fw.off('datasetChanged', onDataset),
      () => fw.off('status', onStatus),
    );
  }

  attach(connection: MessageConnection, end: () => void, label: string): EditorSession {
    const session = new LspSession(this, connection, end, this.log, label);
    this.sessions.add(session);
    return session;
  }

  detach(session: LspSession): void {
    this.sessions.delete(session);
  }

  /** The custom requests this module serves. */
  handlers(): Handler[] {
    return [handler(SamplesRejudge, (p, ctx) => this.rejudge(p, ctx.token))];
  }

  get limits(): LineLimits {
    return { maxLineBytes: this.fw.settings.dataset.max_line_bytes };
  }

  lookup(): Lookup {
    return lookupFor(this.fw);
  }

  /** Only a cheap judge runs unasked; an LLM judge scores editor lines on an explicit re-judge. */
  get judgesInBackground(): boolean {
    return this.fw.settings.judge.provider === 'heuristic';
  }

  changed(ids: ReadonlySet<string> | 'all'): void {
    for (const s of this.sessions) s.changed(ids);
  }

  /** Judges and records samples in batches, stopping early when `stale` says the text moved on. */
  judgeInBackground(items: { id: string; sample: SampleRecord }[], stale: () => boolean): Promise<void> {
    const run = async () => {
      const judged = new Set<string>();
      let failures = 0;
      let lastError = '';
      for (let i = 0; i < items.length && !stale(); i += JUDGE_BATCH) {
        // Another session may have judged some meanwhile.
        const batch = items.slice(i, i + JUDGE_BATCH).filter((x) => !this.fw.assessor.stored.get(x.id));
        const result = await judgeBatch(this.fw.assessor, batch);
        failures += result.failures.length;
        if (result.failures.length) lastError = withHint(result.failures.at(-1)!.error);
        for (const a of result.assessments) judged.add(a.id);
        await new Promise((r) => setImmediate(r));
      }
      if (failures) this.log.warn('judge.error', `judging editor lines: ${failures} failed (last: ${lastError})`);
      if (judged.size === 0) return;
      this.log.debug('lsp.judged', `judged ${judged.size} editor lines in the background`);
      if ([...judged].some((id) => this.fw.store.has(id))) await this.fw.afterChange();
      this.changed(judged);
    };
    const next = this.queue.then(run);
    this.queue = next.catch((err: Error) => this.log.error('lsp.judge', `background judging failed: ${err.message}`));
    return this.queue;
  }

  /** samples/rejudge: judge one sample again, ignoring its stored verdict. */
  async rejudge(p: { id: string } | { uri: string; line: number }, token: CancellationToken): Promise<{ id: string; assessment: Assessment }> {
    const found = 'id' in p ? await this.findById(p.id) : await this.findByLine(p.uri, p.line);
    const abort = new AbortController();
    const listener = token.onCancellationRequested(() => abort.abort());
    let judged;
    try {
      judged = (await judgeBatch(this.fw.assessor, [found], { force: true, signal: abort.signal })).results[0];
    } finally {
      listener.dispose();
    }
    if ('error' in judged) throw judged.error;
    const { assessment } = judged;
    this.log.info('sample.rejudged', `sample ${found.id.slice(0, 12)} re-judged: average ${assessment.average.toFixed(2)}, ${assessment.verdict}`, { id: found.id, scores: assessment.scores });
    this.fw.emit('assessed', found.path, assessment);
    if (this.fw.store.has(found.id)) await this.fw.afterChange();
    return { id: found.id, assessment };
  }

  dispose(): void {
    for (const d of this.disposers) d();
    for (const s of [...this.sessions]) s.dispose();
  }

  private async findByLine(uri: string, line: number): Promise<Found> {
    const dataset = this.matcher.match(uri);
    if (!dataset) {
      throw new DomainError('not-a-dataset', `${uri} is not a dataset file of this workspace`, `name a file:// URI inside the workspace matching dataset.glob (${this.fw.settings.dataset.glob})`);
    }
    const lines = await this.readLine(uri, dataset, line);
    const hit = lines?.find((l) => l.range.start.line <= line && line <= l.range.end.line);
    if (!hit?.id || !hit.sample) {
      const why = hit?.error ? `it is not a sample: ${hit.error}` : 'it is blank or past the end of the file';
      throw new DomainError('sample-not-found', `line ${line + 1} of ${dataset.rel}: ${why}`, 'point at a line holding an {"input", "output"} sample');
    }
    return { id: hit.id, sample: hit.sample, path: dataset.rel };
  }

  private async readLine(uri: string, dataset: { file: string; rel: string }, line: number): Promise<LineInfo[] | undefined> {
    for (const s of this.sessions) {
      const doc = s.document(uri);
      if (doc) return doc.lines(line, line, this.limits);
    }
    const file = this.matcher.onDisk(dataset);
    return file ? readDiskLines(file, line, line, this.limits) : undefined;
  }

  private async findById(id: string): Promise<Found> {
    // An editor's text first (it may not be saved), then the training dataset.
    for (const s of this.sessions) {
      for (const doc of s.documents()) {
        if (!doc.ids.has(id)) continue;
        const at = doc.all(this.limits).find((l) => l.id === id);
        const sample = at && doc.sample(at, this.limits);
        if (sample) return { id, sample, path: this.matcher.match(doc.uri)?.rel ?? null };
      }
    }
    if (this.fw.store.has(id)) {
      for (let offset = 0; offset < this.fw.store.size; offset += 1000) {
        const hit = (await this.fw.store.entries(offset, 1000)).find((e) => e.id === id);
        if (hit) return { id, sample: hit.sample, path: relativeToWorkspace(this.fw.layout.workspace, this.fw.layout.dataset) };
      }
    }
    throw new DomainError('sample-not-found', `no sample with id ${id} in an open editor or the training dataset`, 'open the file holding it, or re-judge by document and line');
  }

  private currentSettingsKey(): string {
    const s = this.fw.settings;
    const j = this.fw.assessor.judgeInfo;
    return JSON.stringify([s.judge.min_average, s.judge.floors, s.finetuning.task, j.name, j.version, s.dataset.glob, s.dataset.max_line_bytes]);
  }
}
