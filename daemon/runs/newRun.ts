// A queued run: an immutable snapshot of the samples it trains on, and its summary. The threshold
// trigger, runs/start and the seed's finetuneModel call all make runs here.
import type { RunSummary } from '../protocol';
import type { SampleRecord } from '../store/sampleCheck';
import { createSnapshot } from '../store/snapshots';
import { relativeToWorkspace } from '../workspace/insideWorkspace';
import type { Layout } from '../workspace/layout';
import type { RunBook } from './RunBook';

export interface NewRun {
  trigger: RunSummary['trigger'];
  task: string;
  baseModel: string;
  /** Where its version lands, workspace-relative, when not finetuning.output_dir. */
  outputDir?: string;
}

export async function newRun(layout: Layout, book: RunBook, samples: AsyncIterable<SampleRecord>, fields: NewRun): Promise<RunSummary> {
  const snapshot = await createSnapshot(layout.stateDir, samples);
  const now = new Date();
  return {
    id: book.nextId(now),
    status: 'queued',
    trigger: fields.trigger,
    task: fields.task,
    baseModel: fields.baseModel,
    createdAt: now.toISOString(),
    startedAt: null,
    endedAt: null,
    snapshot: { path: relativeToWorkspace(layout.workspace, snapshot.path), hash: snapshot.hash, count: snapshot.count },
    progress: null,
    version: null,
    error: null,
    ...(fields.outputDir ? { outputDir: fields.outputDir } : {}),
  };
}
