// The "Configuration" the run panel shows: the fine-tuning settings in effect, as the daemon
// reports them (config/get). No vscode, and no reading of config/models.yml here.
import type { EffectiveConfig, PanelConfig } from '../../daemon/protocol';

export function panelConfigOf(c: EffectiveConfig): PanelConfig {
  const f = c.finetuning;
  return {
    baseModel: f.baseModel,
    task: f.task,
    threshold: f.threshold,
    runner: f.runner,
    batchSize: f.batchSize,
    learningRate: f.learningRate,
    epochs: f.epochs,
    method: f.method,
    autoRun: f.enabled,
  };
}
