// The sample ids a run trained on, read from its immutable snapshot (cached per snapshot).
import * as path from 'node:path';
import type { RunSummary } from '../protocol';
import { readJsonlFile } from '../store/jsonlLines';
import { sampleId } from '../store/sampleId';

export class SnapshotIds {
  private readonly cache = new Map<string, Set<string>>();

  constructor(private readonly workspace: string) {}

  async of(run: RunSummary): Promise<Set<string>> {
    const file = path.resolve(this.workspace, run.snapshot.path);
    let ids = this.cache.get(file);
    if (!ids) {
      ids = new Set();
      for await (const l of readJsonlFile(file)) if (l.sample) ids.add(sampleId(l.sample));
      this.cache.set(file, ids);
    }
    return ids;
  }
}
