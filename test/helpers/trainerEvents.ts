// Well-formed trainer events (docker/flywheel_trainer/events.py) for tests of what consumes them.
import type { TrainerEventOf } from '../../daemon/runs/runners/trainerEvents';

const time = 1_764_000_000;

export function startedEvent(fields: Partial<TrainerEventOf<'started'>> = {}): TrainerEventOf<'started'> {
  return {
    event: 'started',
    time,
    run_id: 'run-1',
    task: 'summarization',
    method: 'lora',
    base_model: 'tiny-random-mistral',
    base_source: 'tiny-random-mistral',
    tiny: true,
    seq2seq: false,
    device: 'cpu',
    gpu: null,
    dtype: 'float32',
    total_steps: 5,
    train_samples: 9,
    eval_samples: 1,
    truncated_inputs: 0,
    trainable_params: 1024,
    total_params: 65536,
    resumed_from: null,
    dataset_hash: 'abc',
    processes: 1,
    strategy: 'ddp',
    effective_batch_size: 4,
    kernels: { attention: 'flywheel_varlen_sdpa', packing: true, fused: [] },
    ...fields,
  };
}

export function progressEvent(fields: Partial<TrainerEventOf<'progress'>> = {}): TrainerEventOf<'progress'> {
  return { event: 'progress', time, step: 1, total_steps: 5, epoch: 0.2, loss: 2.5, learning_rate: 2e-5, grad_norm: 1.1, tokens_per_second: 900, eta_seconds: 4, ...fields };
}

export function failedEvent(reason: string, hint: string | null, kind = 'error'): TrainerEventOf<'failed'> {
  return { event: 'failed', time, reason, hint, kind };
}

export function completedEvent(): TrainerEventOf<'completed'> {
  return { event: 'completed', time, metrics: { after: { eval_loss: 1.5 } }, output_dir: '/models/out' };
}
