// Protocol values for the webview tests, shaped like the daemon sends them.
import type { LogEntry, ModelVersion, PanelConfig, RunSummary, Status } from '../../daemon/protocol';

export function fakeStatus(collected: number, threshold = 100, over: Partial<Status> = {}): Status {
  return {
    workspace: '/home/dev/summarizer',
    task: 'summarization',
    collected,
    threshold,
    remaining: Math.max(0, threshold - collected),
    enabled: true,
    minAverage: 0.8,
    datasetSamples: collected + 20,
    datasetPath: 'data/finetuning_dataset.jsonl',
    invalidLines: 0,
    judge: { name: 'heuristic', version: '1.0.0' },
    currentModel: null,
    activeRun: null,
    metrics: 'http://127.0.0.1:9464/metrics',
    logPath: 'logs/finetuning.log',
    configError: null,
    ...over,
  };
}

export const CONFIG: PanelConfig = {
  baseModel: 'mistral-7b',
  task: 'summarization',
  threshold: 100,
  runner: 'docker',
  batchSize: 4,
  learningRate: 2e-5,
  epochs: 3,
  method: 'lora',
  autoRun: true,
};

let logSeq = 0;
export function logLine(message: string, over: Partial<LogEntry> = {}): LogEntry {
  return { seq: logSeq++, time: '2025-01-01T10:00:05.000Z', level: 'info', event: 'trainer.output', message, ...over };
}

export function landedVersion(run: RunSummary, version = 'v2'): ModelVersion {
  return {
    version,
    current: true,
    status: 'current',
    path: `models/finetuned/summarizer/${version}`,
    runId: run.id,
    createdAt: '2025-01-01T10:05:00.000Z',
    modelName: 'summarizer',
    metrics: {
      before: { eval_loss: 2.5, rouge1: 0.31, rouge2: 0.12, rougeL: 0.28 },
      after: { eval_loss: 1.75, rouge1: 0.42, rouge2: 0.2, rougeL: 0.39 },
      train_loss: 1.9,
    },
  };
}
