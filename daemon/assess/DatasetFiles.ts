// Any JSONL file in the workspace, as the dataset explorer and the editor see it: counts per
// file, paged samples, and per-line assessments for a visible range. Files are read from
// disk by byte offset (VS Code does not hand files over 50 MB to extensions).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config';
import type { Layout } from '../workspace/layout';
import type { AssessService } from './AssessService';
import { LineIndex } from '../store/LineIndex';
import { readJsonlFile, type JsonlLine } from '../store/jsonlLines';
import { findFiles } from '../workspace/glob';
import { mustExist, relativeToWorkspace, resolveInside } from '../workspace/insideWorkspace';
import type { DatasetInfo, LineAssessment, SampleFilter, SampleRow } from '../protocol';
import { isFiltered, lineVerdict, selectLines, type FilterSource, type LineId } from './sampleFilter';
import { fingerprintOf, sameFingerprint, type Fingerprint } from '../store/fingerprint';

/** Most lines one annotations request returns: the editor asks for its visible range. */
export const MAX_ANNOTATION_LINES = 1000;

export class DatasetFiles {
  private readonly counts = new Map<string, { stamp: Fingerprint; invalid: number; lines: LineId[] }>();

  constructor(
    private readonly layout: Layout,
    private readonly config: () => Config,
    /** Verdicts and annotations of the samples on each line. */
    private readonly verdicts: Pick<AssessService, 'recorded' | 'brief' | 'annotation' | 'datasetFilter' | 'datasetEntriesAt'>,
  ) {}

  /** What the filters read about a line of any file, by its sample id. */
  private readonly byId: FilterSource<LineId> = {
    verdict: (l) => this.verdicts.brief(l.id)?.verdict,
    score: (l, criterion) => this.verdicts.brief(l.id)?.scores[criterion],
    annotation: (l) => this.verdicts.annotation(l.id),
  };

  async list(): Promise<DatasetInfo[]> {
    const ws = this.layout.workspace;
    const training = relativeToWorkspace(ws, this.layout.dataset);
    const files = await findFiles(ws, this.config().dataset.glob);
    if (fs.existsSync(this.layout.dataset) && !files.includes(training)) files.unshift(training);
    const out: DatasetInfo[] = [];
    for (const rel of files) out.push(await this.info(rel, rel === training));
    return out;
  }

  /**
   * Samples of any JSONL file, paged by line so a page costs the same at line 10 or 100,000; with
   * a filter, the matching samples paged by position (only the page's own lines are read).
   */
  async samples(requested: string, offset: number, limit: number, filter?: SampleFilter): Promise<{ total: number; items: SampleRow[] }> {
    const file = this.resolve(requested);
    if (isFiltered(filter) && this.isTraining(file)) {
      // The store knows every line's sample and byte range: nothing is scanned, only the page is read.
      const training = await this.verdicts.datasetFilter();
      const matching = selectLines(training.positions(), filter, training.source);
      const page = matching.slice(offset, offset + limit).map((position) => ({ position, id: training.idAt(position) }));
      return { total: matching.length, items: this.rows(await this.verdicts.datasetEntriesAt(page)) };
    }
    const index = await LineIndex.forFile(file, { maxLineBytes: this.config().dataset.max_line_bytes });
    if (isFiltered(filter)) {
      const matching = selectLines((await this.lineIdsOf(file)).lines, filter, this.byId);
      const page = matching.slice(offset, offset + limit);
      const read = await Promise.all(page.map((l) => index.readLines(l.line, l.line)));
      return { total: matching.length, items: this.rows(read.flat()) };
    }
    const lines = offset < index.lineCount ? await index.readLines(offset + 1, Math.min(index.lineCount, offset + limit)) : [];
    return { total: index.lineCount, items: this.rows(lines) };
  }

  private rows(lines: Pick<JsonlLine, 'line' | 'id' | 'sample'>[]): SampleRow[] {
    return lines
      .filter((l) => l.sample && l.id)
      .map((l) => ({
        line: l.line,
        id: l.id!,
        input: l.sample!.input,
        output: l.sample!.output,
        assessment: this.verdicts.recorded(l.id!) ?? null,
        annotation: this.verdicts.annotation(l.id!) ?? null,
      }));
  }

  async annotations(requested: string, fromLine: number, toLine?: number): Promise<{ path: string; totalLines: number; lines: LineAssessment[] }> {
    const file = this.resolve(requested);
    const index = await LineIndex.forFile(file, { maxLineBytes: this.config().dataset.max_line_bytes });
    const to = Math.min(toLine ?? index.lineCount, fromLine + MAX_ANNOTATION_LINES - 1, index.lineCount);
    const lines = to >= fromLine ? await index.readLines(fromLine, to) : [];
    return {
      path: relativeToWorkspace(this.layout.workspace, file),
      totalLines: index.lineCount,
      lines: lines.map((l) => {
        if (l.error !== undefined || !l.id) return { line: l.line, error: l.error ?? 'not a sample' };
        const assessment = this.verdicts.recorded(l.id);
        return { line: l.line, id: l.id, ...(assessment ? { assessment } : {}), annotation: this.verdicts.annotation(l.id) ?? null };
      }),
    };
  }

  private async info(rel: string, training: boolean): Promise<DatasetInfo> {
    const file = this.resolve(rel);
    const info: DatasetInfo = { path: rel, lines: 0, accepted: 0, rejected: 0, unjudged: 0, invalid: 0, training };
    const count = <K>(lines: Iterable<K>, source: FilterSource<K>, invalid: number) => {
      for (const line of lines) {
        info[lineVerdict(line, source)]++;
        info.lines++;
      }
      info.invalid = invalid;
      info.lines += invalid;
    };
    if (training) {
      // From the store's index (reading a million-line file for this took 17 s).
      const lines = await this.verdicts.datasetFilter();
      count(lines.positions(), lines.source, lines.invalid);
    } else {
      const { lines, invalid } = await this.lineIdsOf(file);
      count(lines, this.byId, invalid);
    }
    return info;
  }

  private isTraining(file: string): boolean {
    return path.resolve(file) === path.resolve(this.layout.dataset);
  }

  /** The valid lines' ids and numbers, and how many non-blank lines are invalid; cached until the file changes. */
  private async lineIdsOf(file: string): Promise<{ invalid: number; lines: LineId[] }> {
    const stamp = fingerprintOf(fs.statSync(file));
    const hit = this.counts.get(file);
    if (hit && sameFingerprint(hit.stamp, stamp)) return hit;
    const lines: LineId[] = [];
    let invalid = 0;
    for await (const l of readJsonlFile(file, { maxLineBytes: this.config().dataset.max_line_bytes })) {
      if (l.id) lines.push({ line: l.line, id: l.id });
      else invalid++;
    }
    const entry = { stamp, invalid, lines };
    this.counts.set(file, entry);
    return entry;
  }

  private resolve(requested: string): string {
    const file = resolveInside(this.layout.workspace, requested);
    mustExist(file, requested);
    return file;
  }
}
