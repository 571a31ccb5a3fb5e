// How well the heuristic judge agrees with people: rank and linear correlation with the human
// consistency labels of QAGS-CNNDM, and how well it separates consistent (human = 1) from
// inconsistent (human < 0.5) summaries, next to the lexical baselines from design/judge.md.
// The labelled data lives outside the repository (../shared/data) and is never copied in.
//
//   npx tsx test/bench/judgeQuality.ts
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { averageScore } from '../../daemon/judge/criteria';
import { HeuristicJudge } from '../../daemon/judge/heuristic/HeuristicJudge';
import { ngramSet, overlap, ratio } from '../../daemon/judge/heuristic/ngrams';
import { words } from '../../daemon/judge/heuristic/tokenize';
import { kendallTauB, pearson, rocAuc, spearman } from '../../daemon/judge/evaluation/stats';

export const DEFAULT_DATA = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'qags-cnndm.jsonl');
/** The product's default gate: a sample is kept when its average score is above this. */
export const GATE = 0.8;

export interface LabelledSample {
  input: string;
  output: string;
  human: number;
}

export interface QualityRow {
  scorer: string;
  spearman: number;
  kendall: number;
  pearson: number;
  /** ROC AUC of human = 1 (positives) against human < 0.5 (negatives). */
  auc: number;
  /** Share of human = 1 samples whose score is above the gate. */
  keptGood: number;
  /** Share of human < 0.5 samples whose score is above the gate. */
  keptBad: number;
}

export interface QualityReport {
  rows: QualityRow[];
  text: string;
  /** Set when the benchmark could not run (e.g. the data is missing), with what to do about it. */
  skipped?: string;
  samples: number;
  msPerSample: number;
}

export function loadLabelled(file: string): LabelledSample[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const r = JSON.parse(l) as Partial<LabelledSample>;
      if (typeof r.input !== 'string' || typeof r.output !== 'string' || typeof r.human !== 'number') {
        throw new Error(`${file}:${i + 1}: expected {"input": string, "output": string, "human": number}`);
      }
      return { input: r.input, output: r.output, human: r.human };
    });
}

/** The design doc's baseline: share of the summary's n-grams that occur in the source. */
export function ngramPrecision(source: string, summary: string, n: number): number {
  return ratio(overlap(words(summary), ngramSet(words(source), n), n), 1);
}

function row(scorer: string, scores: number[], human: number[]): QualityRow {
  const good = scores.filter((_, i) => human[i] === 1);
  const bad = scores.filter((_, i) => human[i] < 0.5);
  return {
    scorer,
    spearman: spearman(scores, human),
    kendall: kendallTauB(scores, human),
    pearson: pearson(scores, human),
    auc: rocAuc(good, bad),
    keptGood: good.filter((s) => s > GATE).length / good.length,
    keptBad: bad.filter((s) => s > GATE).length / bad.length,
  };
}

export function formatTable(rows: readonly QualityRow[]): string {
  const num = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(3));
  const share = (x: number): string => `${Math.round(x * 100)}%`;
  const header = ['scorer', 'Spearman', 'Kendall tau-b', 'Pearson', 'ROC AUC', `kept (score > ${GATE}) human = 1`, `kept (score > ${GATE}) human < 0.5`];
  const body = rows.map((r) => [r.scorer, num(r.spearman), num(r.kendall), num(r.pearson), num(r.auc), share(r.keptGood), share(r.keptBad)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

export async function benchJudgeQuality(dataPath = DEFAULT_DATA): Promise<QualityReport> {
  if (!existsSync(dataPath)) {
    const skipped = `judge quality benchmark skipped: labelled data not found at ${dataPath} (it lives in the shared folder next to the repository, ../shared/data/qags-cnndm.jsonl; it is research data and is not copied into the project).`;
    return { rows: [], text: skipped, skipped, samples: 0, msPerSample: 0 };
  }
  const data = loadLabelled(dataPath);
  const human = data.map((d) => d.human);
  const judge = new HeuristicJudge();
  const consistency: number[] = [];
  const average: number[] = [];
  const started = performance.now();
  for (const d of data) {
    const r = await judge.judge({ input: d.input, output: d.output }, 'summarization');
    consistency.push(r.scores.consistency);
    average.push(averageScore(r.scores));
  }
  const msPerSample = (performance.now() - started) / data.length;
  const rows = [
    row(`${judge.name} ${judge.version}: average (the gate)`, average, human),
    row(`${judge.name} ${judge.version}: consistency`, consistency, human),
    row('baseline: bigram precision', data.map((d) => ngramPrecision(d.input, d.output, 2)), human),
    row('baseline: trigram precision', data.map((d) => ngramPrecision(d.input, d.output, 3)), human),
  ];
  const good = human.filter((h) => h === 1).length;
  const bad = human.filter((h) => h < 0.5).length;
  const text = [
    `Judge quality on ${path.basename(dataPath)}: ${data.length} summaries, ${good} with human = 1, ${bad} with human < 0.5.`,
    formatTable(rows),
    `"kept" is the share whose score is above the default gate (${GATE}); the product gates on the average.`,
    `Heuristic judge: ${msPerSample.toFixed(2)} ms per sample.`,
  ].join('\n');
  return { rows, text, samples: data.length, msPerSample };
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
