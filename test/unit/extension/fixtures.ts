// Protocol objects for the extension's unit tests, valid by the shared schemas.
import { modelVersion, runSummary, status, type ModelVersion, type RunSummary, type Status } from '../../../daemon/protocol';

export function aStatus(over: Partial<Status> = {}): Status {
  return status.parse({
    workspace: '/ws',
    task: 'summarization',
    collected: 63,
    threshold: 100,
    remaining: 37,
    enabled: true,
    minAverage: 0.8,
    datasetSamples: 70,
    datasetPath: 'data/finetuning_dataset.jsonl',
    invalidLines: 0,
    judge: { name: 'heuristic', version: '1' },
    currentModel: null,
    activeRun: null,
    metrics: 'http://127.0.0.1:9464/metrics',
    logPath: '/ws/logs/finetuning.log',
    configError: null,
    ...over,
  });
}

export function aRun(over: Partial<RunSummary> = {}): RunSummary {
  return runSummary.parse({
    id: 'run-20261125T091206-1',
    status: 'running',
    trigger: 'threshold',
    task: 'summarization',
    baseModel: 'tiny-random-mistral',
    createdAt: '2026-11-25T09:12:00.000Z',
    startedAt: '2026-11-25T09:12:06.000Z',
    endedAt: null,
    snapshot: { path: 'data/.flywheel/snapshots/x.jsonl', hash: '492e796331314623e3af04c5', count: 48 },
    progress: { step: 21, totalSteps: 50, epoch: 2.5, loss: 5.3861 },
    version: null,
    error: null,
    ...over,
  });
}

export function aVersion(over: Partial<ModelVersion> = {}): ModelVersion {
  return modelVersion.parse({
    version: 'v2',
    current: true,
    path: '/ws/models/finetuned/tiny-summarization/v2',
    runId: 'run-20261125T091206-1',
    createdAt: '2026-11-25T09:12:32.804Z',
    modelName: 'tiny-summarization',
    status: 'current',
    metrics: {
      before: { eval_loss: 6.264, rougeL: 0.0295, eval_samples: 6 },
      after: { eval_loss: 5.086, rougeL: 0.0532, eval_samples: 6, eval_seconds: 0.04 },
      train_loss: 5.38,
    },
    ...over,
  });
}
