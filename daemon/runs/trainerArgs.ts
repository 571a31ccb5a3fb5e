// The finetune.py command line for a run, from config/models.yml. Paths are the container's
// (/data, /models/out): the docker runner mounts them, the local runner maps them back.
import type { Config } from '../config';

export function trainerArgs(
  f: Config['finetuning'],
  run: { id: string; task: string; baseModel: string; snapshotFile: string; snapshotHash: string },
): string[] {
  const args = [
    '--task', run.task,
    '--dataset', `/data/${run.snapshotFile}`,
    '--output-dir', '/models/out',
    '--base-model', run.baseModel,
    '--method', f.method,
    '--batch-size', String(f.batch_size),
    '--gradient-accumulation-steps', String(f.gradient_accumulation_steps),
    '--learning-rate', String(f.learning_rate),
    '--num-epochs', String(f.num_epochs),
    '--lora-r', String(f.lora.r),
    '--lora-alpha', String(f.lora.alpha),
    '--lora-dropout', String(f.lora.dropout),
    '--max-length', String(f.max_length),
    '--eval-split', String(f.eval_split),
    '--seed', String(f.seed),
    '--packing', f.packing ? 'on' : 'off',
    '--dataset-hash', run.snapshotHash,
    '--run-id', run.id,
    // Resuming is harmless on a fresh folder and continues a restarted run from its checkpoint.
    '--resume',
  ];
  if (f.merge_adapter) args.push('--merge-adapter');
  for (const [alias, repo] of Object.entries(f.base_models)) args.push('--model-alias', `${alias}=${repo}`);
  return args;
}

/** The hyperparameters recorded in a version's metadata. */
export function hyperparameters(f: Config['finetuning']): Record<string, unknown> {
  return {
    method: f.method,
    batch_size: f.batch_size,
    gradient_accumulation_steps: f.gradient_accumulation_steps,
    learning_rate: f.learning_rate,
    num_epochs: f.num_epochs,
    lora: f.lora,
    max_length: f.max_length,
    eval_split: f.eval_split,
    seed: f.seed,
    merge_adapter: f.merge_adapter,
    packing: f.packing,
    distributed: f.distributed,
  };
}
