// Protocol values for the webview tests, shaped like the daemon sends them.
import type { Agreement, CalibrateReport, CalibrationsResult, EvalReport, LogEntry, ModelVersion, PanelConfig, RunSummary, Status } from '../../daemon/protocol';

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

/** Agreement figures over 40 labels, half accepted, with the buckets filled as given (share accepted per bucket). */
export function fakeAgreement(over: Partial<Agreement> = {}): Agreement {
  const shares = [null, null, 0, 0, 0.25, 0.2, 0.4, 0.5, 0.75, 0.9];
  return {
    labels: 40,
    accepted: 20,
    base: 0.5,
    spearman: 0.61,
    kendall: 0.48,
    auc: 0.83,
    kept: 12,
    precision: 0.83,
    recall: 0.5,
    criteria: { consistency: { spearman: 0.6, auc: 0.8 }, fluency: { spearman: 0.1, auc: 0.55 } },
    gateForPrecision: { target: 0.9, minAverage: 0.86, precision: 0.9, recall: 0.45, kept: 10 },
    buckets: shares.map((a, i) => ({ from: i / 10, to: (i + 1) / 10, n: a === null ? 0 : 5, accepted: a })),
    ...over,
  };
}

const JUDGE_INFO = {
  source: 'overrides',
  overrides: 40,
  missing: 0,
  invalid: [],
  judgeErrors: [],
  judge: { name: 'heuristic (no model)', version: 'heuristic-2' },
  task: 'summarization',
  gate: { minAverage: 0.8, floors: { consistency: 0.8 } },
  calibration: { source: 'shipped' as const, version: null, labels: 671, fittedOn: 'frank validation', curves: { consistency: { x: [0.2, 0.6, 0.9], y: [0.1, 0.5, 0.9] } } },
  calibrationProblem: null,
};

export function fakeEvaluation(over: Partial<EvalReport> = {}): EvalReport {
  return { ...fakeAgreement(), ...JUDGE_INFO, ...over };
}

export function fakeOverview(overrides: number, over: Partial<CalibrationsResult> = {}): CalibrationsResult {
  return { current: null, inUse: JUDGE_INFO.calibration, problem: null, judge: JUDGE_INFO.judge, overrides, needed: 30, versions: [], ...over };
}

export function fakeCalibration(over: Partial<CalibrateReport> = {}): CalibrateReport {
  return {
    ...JUDGE_INFO,
    id: 'abc12345',
    changes: true,
    applied: false,
    version: null,
    criteria: [
      { name: 'consistency', fitted: true, spearman: 0.6, note: 'fitted: 3 steps from 0.08 to 0.95 (12 rejections blamed on it)' },
      { name: 'fluency', fitted: false, spearman: 0.1, note: 'Spearman 0.10 with your labels is within chance (needs 0.32 on 40 labels) (left as the judge scores it)' },
    ],
    curves: { consistency: { x: [0.3, 0.7, 0.95], y: [0.08, 0.6, 0.95] } },
    before: fakeAgreement(),
    after: fakeAgreement({ kept: 16, precision: 0.94, recall: 0.75, gateForPrecision: { target: 0.9, minAverage: 0.62, precision: 0.92, recall: 0.8, kept: 17 } }),
    ...over,
  };
}
