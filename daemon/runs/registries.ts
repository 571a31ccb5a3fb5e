// Where a run's version lands: the workspace's registry (finetuning.output_dir), or the one under
// the run's own output folder (finetuneModel's outputDir), opened once.
import * as path from 'node:path';
import type { RunSummary } from '../protocol';
import { ModelRegistry } from '../registry/ModelRegistry';

export class Registries {
  private readonly others = new Map<string, ModelRegistry>();

  constructor(
    private readonly workspace: string,
    readonly workspaceRegistry: ModelRegistry,
  ) {}

  async of(run: Pick<RunSummary, 'outputDir'>): Promise<ModelRegistry> {
    if (!run.outputDir) return this.workspaceRegistry;
    const dir = path.resolve(this.workspace, run.outputDir);
    if (dir === this.workspaceRegistry.outputDir) return this.workspaceRegistry;
    let r = this.others.get(dir);
    if (!r) this.others.set(dir, (r = await ModelRegistry.open(dir)));
    return r;
  }
}
