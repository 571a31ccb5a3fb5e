// Reading a model version's metrics (metrics.json as the trainer wrote it): the headline metric
// after training, and what it was before (no vscode).
import { metric as fmt } from '../format';

export type Metrics = Record<string, unknown> | undefined;

/** Metrics to lead with, in order; the first one present is the headline. */
export const HEADLINE_METRICS = ['eval_loss', 'rougeL', 'accuracy', 'exact_match', 'perplexity'];

function table(metrics: Metrics, key: string): Record<string, number> {
  const t = metrics?.[key];
  if (!t || typeof t !== 'object') return {};
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(t as Record<string, unknown>)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

export interface MetricComparison {
  name: string;
  after: number;
  /** The same metric for the model before training (or the then-current version on the same held-out split). */
  before?: number;
  /** 'min' when lower is better. */
  better: 'min' | 'max';
}

export function lowerIsBetter(name: string): boolean {
  return /loss|perplexity|error/i.test(name);
}

/** The headline metric of a version: after vs before (baseline_current when the trainer measured it). */
export function headlineMetric(metrics: Metrics): MetricComparison | undefined {
  const after = table(metrics, 'after');
  const baseline = table(metrics, 'baseline_current');
  const before = table(metrics, 'before');
  const name = HEADLINE_METRICS.find((m) => m in after) ?? Object.keys(after).find((k) => !/samples|seconds/.test(k));
  if (!name) return undefined;
  return { name, after: after[name], before: baseline[name] ?? before[name], better: lowerIsBetter(name) ? 'min' : 'max' };
}

/** "eval_loss 5.086 (was 6.264, −18.8%)". */
export function describeComparison(c: MetricComparison): string {
  if (c.before === undefined) return `${c.name} ${fmt(c.after)}`;
  const change = c.before !== 0 ? ((c.after - c.before) / Math.abs(c.before)) * 100 : undefined;
  const pct = change === undefined ? '' : `, ${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(1)}%`;
  return `${c.name} ${fmt(c.after)} (was ${fmt(c.before)}${pct})`;
}

/** Rows "| metric | before | after |" for every numeric metric measured after training. */
export function metricRows(metrics: Metrics): string[] {
  const after = table(metrics, 'after');
  const before = { ...table(metrics, 'before'), ...table(metrics, 'baseline_current') };
  const names = Object.keys(after).filter((k) => !/samples$|seconds$/.test(k));
  if (!names.length) return [];
  return ['| metric | before | after |', '|---|---|---|', ...names.map((n) => `| ${n} | ${n in before ? fmt(before[n]) : '–'} | ${fmt(after[n])} |`)];
}
