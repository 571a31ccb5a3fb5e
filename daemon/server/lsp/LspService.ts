// The daemon as a language server for JSONL dataset files, for every editor connection of the
// workspace: creates a session per `initialize`, tells sessions when verdicts change (new
// assessments, annotations, a new gate or judge), judges unjudged lines of open documents in
// the background, and serves samples/rejudge.
import type { CancellationToken, MessageConnection } from 'vscode-jsonrpc';
import type { AssessService } from '../../assess/AssessService';
import type { ToJudge } from '../../assess/judgeBatch';
import type { Lookup } from '../../assess/sampleView';
import type { Config } from '../../config';
import { DomainError } from '../../errors/DomainError';
import type { Logger } from '../../log';
import { SamplesRejudge, type Assessment } from '../../protocol';
import type { LineLimits } from '../../store/jsonlLines';
import type { SampleRecord } from '../../store/sampleCheck';
import type { Layout } from '../../workspace/layout';
import { handler, type Handler } from '../dispatch';
import { DatasetMatcher } from './datasetUri';
import { readDiskLines, type LineInfo } from './lines';
import { LspSession, type EditorSession } from './LspSession';

export type { EditorSession } from './LspSession';

/** What the socket server needs to give a connection an editor session. */
export interface EditorSessions {
  attach(connection: MessageConnection, end: () => void, label: string): EditorSession;
}

export interface EditorDeps {
  assess: AssessService;
  layout: Layout;
  config(): Config;
  /** Subscribes to status changes (a reloaded config or a new judge may change everything shown); returns the unsubscribe. */
  onStatus(listener: () => void): () => void;
  log: Logger;
}

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

  private readonly assess: AssessService;
  private readonly log: Logger;

  constructor(private readonly d: EditorDeps) {
    this.assess = d.assess;
    this.log = d.log;
    this.matcher = new DatasetMatcher(d.layout.workspace, () => ({ glob: d.config().dataset.glob, training: d.layout.dataset }));
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
    d.assess.on('assessed', onAssessed);
    d.assess.on('datasetChanged', onDataset);
    this.disposers.push(
      () => d.assess.off('assessed', onAssessed),
      () => d.assess.off('datasetChanged', onDataset),
      d.onStatus(onStatus),
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
    return { maxLineBytes: this.d.config().dataset.max_line_bytes };
  }

  lookup(): Lookup {
    return this.assess.lookup();
  }

  get judgesInBackground(): boolean {
    return this.assess.judgesInBackground;
  }

  changed(ids: ReadonlySet<string> | 'all'): void {
    for (const s of this.sessions) s.changed(ids);
  }

  /** Judges lines of open documents, one pass at a time whatever the number of sessions; `stale`: the text moved on. */
  judgeInBackground(items: ToJudge[], stale: () => boolean): Promise<void> {
    const next = this.queue.then(async () => {
      const judged = await this.assess.judgeEditorLines(items, stale);
      if (judged.size) this.changed(judged);
    });
    this.queue = next.catch((err: Error) => this.log.error('lsp.judge', `background judging failed: ${err.message}`));
    return this.queue;
  }

  /** samples/rejudge: judge one sample again, ignoring its stored verdict. */
  async rejudge(p: { id: string } | { uri: string; line: number }, token: CancellationToken): Promise<{ id: string; assessment: Assessment }> {
    const found = 'id' in p ? await this.findById(p.id) : await this.findByLine(p.uri, p.line);
    const abort = new AbortController();
    const listener = token.onCancellationRequested(() => abort.abort());
    try {
      return { id: found.id, assessment: await this.assess.rejudge(found, abort.signal) };
    } finally {
      listener.dispose();
    }
  }

  dispose(): void {
    for (const d of this.disposers) d();
    for (const s of [...this.sessions]) s.dispose();
  }

  private async findByLine(uri: string, line: number): Promise<Found> {
    const dataset = this.matcher.match(uri);
    if (!dataset) {
      throw new DomainError('not-a-dataset', `${uri} is not a dataset file of this workspace`, `name a file:// URI inside the workspace matching dataset.glob (${this.d.config().dataset.glob})`);
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
    const sample = await this.assess.findInDataset(id);
    if (sample) return { id, sample, path: this.assess.datasetPath };
    throw new DomainError('sample-not-found', `no sample with id ${id} in an open editor or the training dataset`, 'open the file holding it, or re-judge by document and line');
  }

  private currentSettingsKey(): string {
    const s = this.d.config();
    const j = this.assess.judgeInfo;
    return JSON.stringify([s.judge.min_average, s.judge.floors, s.finetuning.task, j.name, j.version, s.dataset.glob, s.dataset.max_line_bytes]);
  }
}
