// Prometheus metrics on the daemon's own registry (never prom-client's global one, so tests
// and embedders can run several daemons in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();

  readonly runsTotal = new Counter({
    name: 'finetuning_runs_total',
    help: 'Fine-tuning runs that ended, by final status.',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly runDuration = new Histogram({
    name: 'finetuning_duration_seconds',
    help: 'Wall-clock duration of fine-tuning runs, from start to end.',
    buckets: [10, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 43200],
    registers: [this.registry],
  });
  readonly runsQueued = new Counter({
    name: 'finetuning_runs_queued_total',
    help: 'Runs queued, by trigger (threshold, manual, forced).',
    labelNames: ['trigger'] as const,
    registers: [this.registry],
  });
  readonly activeRuns = new Gauge({ name: 'finetuning_active_runs', help: 'Runs queued or running now.', registers: [this.registry] });
  readonly trainingLoss = new Gauge({ name: 'finetuning_training_loss', help: 'Latest training loss of the active run.', registers: [this.registry] });
  readonly trainingStep = new Gauge({ name: 'finetuning_training_step', help: 'Latest training step of the active run.', registers: [this.registry] });
  readonly trainingTokensPerSecond = new Gauge({
    name: 'finetuning_training_tokens_per_second',
    help: 'Latest training throughput of the active run.',
    registers: [this.registry],
  });
  readonly samplesAssessed = new Counter({
    name: 'samples_assessed_total',
    help: 'Samples scored by the judge, by verdict.',
    labelNames: ['verdict'] as const,
    registers: [this.registry],
  });
  readonly samplesInvalid = new Counter({
    name: 'samples_invalid_total',
    help: 'Submitted or ingested lines refused as invalid.',
    registers: [this.registry],
  });
  readonly judgeScore = new Histogram({
    name: 'judge_score',
    help: 'Judge scores (0..1) per criterion.',
    labelNames: ['criterion'] as const,
    buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    registers: [this.registry],
  });
  readonly judgeLatency = new Histogram({
    name: 'judge_latency_seconds',
    help: 'Time to judge one sample.',
    labelNames: ['judge'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [this.registry],
  });
  readonly judgeErrors = new Counter({
    name: 'judge_errors_total',
    help: 'Judge calls that failed after retries.',
    labelNames: ['judge'] as const,
    registers: [this.registry],
  });
  readonly datasetSamples = new Gauge({ name: 'dataset_samples', help: 'Valid samples in the training dataset.', registers: [this.registry] });
  readonly samplesCollected = new Gauge({
    name: 'samples_collected',
    help: 'High-quality samples not yet used by a landed model version.',
    registers: [this.registry],
  });
  readonly samplesToThreshold = new Gauge({
    name: 'samples_to_threshold',
    help: 'High-quality samples still needed before fine-tuning triggers.',
    registers: [this.registry],
  });
  readonly modelVersions = new Gauge({ name: 'finetuning_model_versions', help: 'Model versions landed.', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // prom-client names these gauges *_total, which Prometheus reserves for counters (promtool
    // rejects them); the per-type gauges without the suffix carry the same numbers.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      this.registry.removeSingleMetric(name);
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
