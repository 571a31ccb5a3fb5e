// How well the built-in judge agrees with people, and what its gate keeps. Measured on the
// human-labelled sets in ../shared/data (never copied into the project):
//   - QAGS-CNNDM (235 summaries): rank agreement, and at the default gate the share of kept
//     summaries people call fully consistent (precision) and of those the gate keeps (recall);
//   - FRANK, its test split (the judge's weights and calibration are fitted on the validation
//     split only, by scripts/fit-judge.ts), per corpus and over both;
//   - the calibration of the consistency score (expected calibration error and a reliability
//     table): a calibrated 0.8 should mean eight in ten such summaries are fully consistent.
// The targets of issue 9 are printed with PASS/FAIL; this is a benchmark, not a test.
//
//   npx tsx test/bench/judgeQuality.ts [shared/data folder]
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG, floorsFor } from '../../daemon/config';
import { createJudge } from '../../daemon/judge/createJudge';
import { kendallTauB, rocAuc, spearman } from '../../daemon/judge/evaluation/stats';
import { applyGate, type GateSettings } from '../../daemon/judge/gate';
import { ngramSet, overlap, ratio } from '../../daemon/judge/heuristic/ngrams';
import { words } from '../../daemon/judge/heuristic/tokenize';

export const DEFAULT_DATA_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'data');
/** The product's default gate: average above judge.min_average and the default floors. */
export const DEFAULT_GATE: GateSettings = {
  minAverage: DEFAULT_CONFIG.judge.min_average,
  floors: floorsFor(DEFAULT_CONFIG.judge, 'summarization'),
};

export interface LabelledSample {
  input: string;
  output: string;
  human: number;
  corpus?: string;
  split?: string;
}

/** One judged sample: the judge's numbers next to the human label. */
export interface Judged {
  human: number;
  consistency: number;
  average: number;
  kept: boolean;
  baselines: Record<string, number>;
}

export interface SetReport {
  name: string;
  n: number;
  /** Share of summaries people call fully consistent (human == 1). */
  base: number;
  spearmanConsistency: number;
  spearmanAverage: number;
  kendallConsistency: number;
  /** ROC AUC of human == 1 against human < 1, for the consistency score and the average. */
  aucConsistency: number;
  aucAverage: number;
  kept: number;
  /** Of the kept, the share with human == 1; NaN when nothing is kept. */
  precision: number;
  /** Of those with human == 1, the share kept. */
  recall: number;
  /** Expected calibration error of the consistency score against human == 1 (10 equal-width bins). */
  ece: number;
  reliability: { from: number; to: number; n: number; predicted: number; observed: number }[];
  baselines: Record<string, { spearman: number; auc: number }>;
}

export interface Target {
  what: string;
  value: number;
  goal: string;
  pass: boolean;
}

export interface QualityReport {
  sets: SetReport[];
  targets: Target[];
  text: string;
  /** Set when the benchmark could not run (the data is missing), with what to do about it. */
  skipped?: string;
  samplesPerSecond: number;
}

export function loadLabelled(file: string): LabelledSample[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l, i) => [l, i] as const)
    .filter(([l]) => l.trim() !== '')
    .map(([l, i]) => {
      const r = JSON.parse(l) as Partial<LabelledSample>;
      if (typeof r.input !== 'string' || typeof r.output !== 'string' || typeof r.human !== 'number') {
        throw new Error(`${file}:${i + 1}: expected {"input": string, "output": string, "human": number}`);
      }
      return { input: r.input, output: r.output, human: r.human, corpus: r.corpus, split: r.split };
    });
}

/** The design doc's baseline: share of the summary's n-grams that occur in the source. */
export function ngramPrecision(source: string, summary: string, n: number): number {
  return ratio(overlap(words(summary), ngramSet(words(source), n), n), 1);
}

const BASELINES: Record<string, (d: LabelledSample) => number> = {
  'unigram precision': (d) => ngramPrecision(d.input, d.output, 1),
  'trigram precision': (d) => ngramPrecision(d.input, d.output, 3),
};

export function expectedCalibrationError(predicted: readonly number[], observed: readonly number[], bins = 10): { ece: number; table: SetReport['reliability'] } {
  const table: SetReport['reliability'] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    const from = b / bins;
    const to = (b + 1) / bins;
    const idx = predicted.map((p, i) => [p, i] as const).filter(([p]) => p >= from && (p < to || (b === bins - 1 && p <= to)));
    if (idx.length === 0) continue;
    const p = idx.reduce((s, [v]) => s + v, 0) / idx.length;
    const o = idx.reduce((s, [, i]) => s + observed[i], 0) / idx.length;
    ece += (idx.length / predicted.length) * Math.abs(p - o);
    table.push({ from, to, n: idx.length, predicted: p, observed: o });
  }
  return { ece, table };
}

export function summarize(name: string, rows: readonly Judged[]): SetReport {
  const human = rows.map((r) => r.human);
  const good = rows.filter((r) => r.human === 1);
  const bad = rows.filter((r) => r.human < 1);
  const kept = rows.filter((r) => r.kept);
  const { ece, table } = expectedCalibrationError(
    rows.map((r) => r.consistency),
    rows.map((r) => (r.human === 1 ? 1 : 0)),
  );
  const baselines: SetReport['baselines'] = {};
  for (const b of Object.keys(rows[0]?.baselines ?? {})) {
    baselines[b] = {
      spearman: spearman(rows.map((r) => r.baselines[b]), human),
      auc: rocAuc(good.map((r) => r.baselines[b]), bad.map((r) => r.baselines[b])),
    };
  }
  return {
    name,
    n: rows.length,
    base: good.length / rows.length,
    spearmanConsistency: spearman(rows.map((r) => r.consistency), human),
    spearmanAverage: spearman(rows.map((r) => r.average), human),
    kendallConsistency: kendallTauB(rows.map((r) => r.consistency), human),
    aucConsistency: rocAuc(good.map((r) => r.consistency), bad.map((r) => r.consistency)),
    aucAverage: rocAuc(good.map((r) => r.average), bad.map((r) => r.average)),
    kept: kept.length,
    precision: kept.length ? kept.filter((r) => r.human === 1).length / kept.length : NaN,
    recall: good.length ? good.filter((r) => r.kept).length / good.length : NaN,
    ece,
    reliability: table,
    baselines,
  };
}

const num = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
const share = (x: number): string => (Number.isNaN(x) ? 'n/a' : `${Math.round(x * 100)}%`);

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

export function formatSets(sets: readonly SetReport[]): string {
  const header = ['set', 'n', 'base', 'Spearman cons.', 'Spearman avg', 'Kendall cons.', 'AUC cons.', 'AUC avg', 'kept', 'precision', 'recall', 'ECE'];
  return table(
    header,
    sets.map((s) => [s.name, String(s.n), share(s.base), num(s.spearmanConsistency), num(s.spearmanAverage), num(s.kendallConsistency), num(s.aucConsistency), num(s.aucAverage), `${s.kept} (${share(s.kept / s.n)})`, share(s.precision), share(s.recall), num(s.ece)]),
  );
}

function formatBaselines(sets: readonly SetReport[]): string {
  const names = Object.keys(sets[0]?.baselines ?? {});
  return table(
    ['set', ...names.flatMap((b) => [`${b}: Spearman`, 'AUC'])],
    sets.map((s) => [s.name, ...names.flatMap((b) => [num(s.baselines[b].spearman), num(s.baselines[b].auc)])]),
  );
}

function formatReliability(s: SetReport): string {
  return table(
    [`${s.name}: consistency score`, 'n', 'mean score', 'fully consistent (people)'],
    s.reliability.map((r) => [`${r.from.toFixed(1)}–${r.to.toFixed(1)}`, String(r.n), num(r.predicted), num(r.observed)]),
  );
}

export function targetsFor(sets: readonly SetReport[]): Target[] {
  const get = (name: string): SetReport | undefined => sets.find((s) => s.name === name);
  const out: Target[] = [];
  const add = (what: string, value: number | undefined, goal: number): void => {
    if (value === undefined) return;
    out.push({ what, value, goal: `≥ ${goal}`, pass: value >= goal });
  };
  add('qags-cnndm at the default gate: precision (kept and fully consistent)', get('qags-cnndm')?.precision, 0.85);
  add('qags-cnndm at the default gate: recall (fully consistent ones kept)', get('qags-cnndm')?.recall, 0.4);
  add('frank test, both parts: ROC AUC of consistency (human == 1 vs < 1)', get('frank test: both')?.aucConsistency, 0.87);
  add('frank test, CNN/DM part: Spearman of consistency', get('frank test: cnndm')?.spearmanConsistency, 0.55);
  add('frank test, XSum part: Spearman of consistency', get('frank test: xsum')?.spearmanConsistency, 0.25);
  return out;
}

export async function judgeAll(data: readonly LabelledSample[]): Promise<{ rows: Judged[]; samplesPerSecond: number }> {
  const judge = createJudge(DEFAULT_CONFIG.judge);
  const rows: Judged[] = [];
  const started = performance.now();
  for (const d of data) {
    const r = await judge.judge({ input: d.input, output: d.output }, 'summarization');
    const gate = applyGate(r.scores, DEFAULT_GATE);
    rows.push({ human: d.human, consistency: r.scores.consistency, average: gate.average, kept: gate.verdict === 'accepted', baselines: {} });
  }
  const samplesPerSecond = data.length / ((performance.now() - started) / 1000);
  data.forEach((d, i) => {
    for (const [name, f] of Object.entries(BASELINES)) rows[i].baselines[name] = f(d);
  });
  return { rows, samplesPerSecond };
}

export async function benchJudgeQuality(dataDir = DEFAULT_DATA_DIR): Promise<QualityReport> {
  const qagsFile = path.join(dataDir, 'qags-cnndm.jsonl');
  const frankFile = path.join(dataDir, 'frank.jsonl');
  if (!existsSync(qagsFile) || !existsSync(frankFile)) {
    const skipped = `judge quality benchmark skipped: labelled data not found in ${dataDir} (qags-cnndm.jsonl and frank.jsonl live in the shared folder next to the repository, ../shared/data; they are research data and are not copied into the project).`;
    return { sets: [], targets: [], text: skipped, skipped, samplesPerSecond: 0 };
  }
  const qags = loadLabelled(qagsFile);
  const frank = loadLabelled(frankFile);
  const all = await judgeAll([...qags, ...frank]);
  const q = all.rows.slice(0, qags.length);
  const f = all.rows.slice(qags.length);
  const pick = (split: string, corpus?: string): Judged[] => f.filter((_, i) => frank[i].split === split && (!corpus || frank[i].corpus === corpus));
  const sets = [
    summarize('qags-cnndm', q),
    summarize('frank test: cnndm', pick('test', 'cnndm')),
    summarize('frank test: xsum', pick('test', 'xsum')),
    summarize('frank test: both', pick('test')),
    summarize('frank validation: both (fitted on)', pick('validation')),
  ];
  const targets = targetsFor(sets);
  const judge = createJudge(DEFAULT_CONFIG.judge);
  const text = [
    `Judge quality: ${judge.name} ${judge.version}, default gate (average > ${DEFAULT_GATE.minAverage}, floors ${JSON.stringify(DEFAULT_GATE.floors)}).`,
    'Human label: "fully consistent" is human == 1. AUC: human == 1 against human < 1. "precision": of the kept, the share fully consistent; "recall": of the fully consistent, the share kept.',
    formatSets(sets),
    '',
    'Lexical baselines on the same sets:',
    formatBaselines(sets),
    '',
    'Reliability of the calibrated consistency score:',
    formatReliability(sets[0]),
    '',
    formatReliability(sets[3]),
    '',
    'Targets (issue 9):',
    ...targets.map((t) => `- ${t.pass ? 'PASS' : 'FAIL'} ${t.what}: ${num(t.value)} (target ${t.goal})`),
    `- ${all.samplesPerSecond >= 20 ? 'PASS' : 'FAIL'} throughput on one core: ${all.samplesPerSecond.toFixed(0)} samples/s (target ≥ 20)`,
  ].join('\n');
  return { sets, targets, text, samplesPerSecond: all.samplesPerSecond };
}

if (require.main === module) {
  benchJudgeQuality(process.argv[2]).then(
    (r) => console.log(r.text),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
