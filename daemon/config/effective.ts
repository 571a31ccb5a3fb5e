// The config as clients see it (config/get): the settings in effect, with defaults filled in.
// Clients never parse config/models.yml themselves, so they can never disagree with the daemon.
import type { EffectiveConfig } from '../protocol';
import type { Config } from './schema';

export function effectiveConfigOf(c: Config): EffectiveConfig {
  const f = c.finetuning;
  return {
    finetuning: {
      enabled: f.enabled,
      threshold: f.threshold,
      baseModel: f.base_model,
      task: f.task,
      method: f.method,
      runner: f.runner,
      batchSize: f.batch_size,
      learningRate: f.learning_rate,
      epochs: f.num_epochs,
      outputDir: f.output_dir,
    },
    judge: { provider: c.judge.provider, minAverage: c.judge.min_average },
    dataset: { path: c.dataset.path, glob: c.dataset.glob },
  };
}
