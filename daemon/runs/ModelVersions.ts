// The model versions of the workspace's model (finetuning.base_model + task): listed, the current
// one known, promoted or rolled back by hand.
import type { Config } from '../config';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { ModelVersion } from '../protocol';
import { modelNameFor, type ModelRegistry } from '../registry/ModelRegistry';

export class ModelVersions {
  private currentVersion: ModelVersion | null = null;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly config: () => Config,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** The current version of the configured model, as of the last refresh. */
  get current(): ModelVersion | null {
    return this.currentVersion;
  }

  /** Every version, newest first; the current one marked. */
  async list(): Promise<ModelVersion[]> {
    return (await this.registry.list()).map((v) => ({ version: v.version, current: v.current, path: v.path, runId: v.runId, createdAt: v.createdAt, metrics: v.metrics, modelName: v.modelName, status: v.status }));
  }

  async promote(version: string, reason: string): Promise<ModelVersion> {
    await this.registry.promote(this.modelName(), version, reason);
    await this.refresh();
    this.log.info('model.promoted', `${this.modelName()} ${version}: ${reason}`);
    return this.currentVersion!;
  }

  async rollback(): Promise<ModelVersion> {
    await this.registry.rollback(this.modelName(), 'rolled back by hand');
    await this.refresh();
    this.log.info('model.rollback', `${this.modelName()} rolled back to ${this.currentVersion?.version}`);
    return this.currentVersion!;
  }

  async refresh(): Promise<void> {
    const name = this.modelName();
    const all = await this.list();
    this.currentVersion = all.find((v) => v.current && v.modelName === name) ?? null;
    this.metrics.modelVersions.set(all.length);
  }

  private modelName(): string {
    const f = this.config().finetuning;
    return modelNameFor(f.base_model, f.task);
  }
}
