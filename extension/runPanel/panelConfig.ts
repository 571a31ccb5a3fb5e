// The "Configuration" the run panel shows: the fine-tuning settings of config/models.yml, read
// with the daemon's own loader (same defaults) for display only. No vscode.
import { loadConfig } from '../../daemon/config/load';
import type { Config } from '../../daemon/config/schema';
import type { PanelConfig } from '../../daemon/protocol';

export function panelConfigOf(c: Config): PanelConfig {
  const f = c.finetuning;
  return {
    baseModel: f.base_model,
    task: f.task,
    threshold: f.threshold,
    runner: f.runner,
    batchSize: f.batch_size,
    learningRate: f.learning_rate,
    epochs: f.num_epochs,
    method: f.method,
    autoRun: f.enabled,
  };
}

/** The workspace's panel config; undefined when config/models.yml is invalid (the status says why). */
export function readPanelConfig(workspace: string): PanelConfig | undefined {
  try {
    return panelConfigOf(loadConfig(workspace));
  } catch {
    return undefined;
  }
}
