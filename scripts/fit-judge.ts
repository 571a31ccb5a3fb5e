// Fits the built-in judge's data files on human labels: the weights that combine the consistency
// signals (heuristic/calibration/consistency-model.json) and the calibration curve that turns the
// combined score into "share of such summaries people call fully consistent"
// (heuristic/calibration/summarization.json). Uses the FRANK validation split ONLY; the test
// split and QAGS-CNNDM stay unseen for `npm run bench` to report on.
//
//   node --import tsx scripts/fit-judge.ts [../shared/data/frank.jsonl]
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Calibration } from '../daemon/judge/calibration/Calibration';
import { fitIsotonic } from '../daemon/judge/calibration/isotonic';
import { fitLogistic } from '../daemon/judge/calibration/logistic';
import { HeuristicJudge } from '../daemon/judge/heuristic/HeuristicJudge';
import { indexSource, profile } from '../daemon/judge/heuristic/profile';
import { consistencySignals, type ConsistencySignals } from '../daemon/judge/heuristic/summarization/consistency';
import { consistencyScore, modelInputs, SUPPORT_SIGNALS, type ConsistencyModel } from '../daemon/judge/heuristic/summarization/consistencyModel';

const EPS = 0.1;
/** Ridge penalty on standardised weights (1/C): a few features, several hundred labels. */
const L2 = 10;
/** Knots of the calibration curve stand for at least this many labels each. */
const MIN_BLOCK = 60;

const root = path.resolve(__dirname, '..');
const dataFile = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'data', 'frank.jsonl'));
const outDir = path.join(root, 'daemon', 'judge', 'heuristic', 'calibration');

interface Row {
  signals: ConsistencySignals;
  accepted: number;
}

const rows: Row[] = [];
readFileSync(dataFile, 'utf8')
  .split('\n')
  .forEach((line, i) => {
    if (!line.trim()) return;
    const r = JSON.parse(line) as { input?: unknown; output?: unknown; human?: unknown; split?: unknown };
    if (typeof r.input !== 'string' || typeof r.output !== 'string' || typeof r.human !== 'number') throw new Error(`${dataFile}:${i + 1}: expected input, output and human`);
    if (r.split !== 'validation') return;
    rows.push({ signals: consistencySignals(profile(r.output), indexSource(r.input)), accepted: r.human === 1 ? 1 : 0 });
  });
if (rows.length === 0) throw new Error(`${dataFile}: no rows with "split": "validation"`);

const at = new Date().toISOString().slice(0, 10);
const on = `FRANK validation split (${path.basename(dataFile)}), human == 1 as accepted`;
const fit = fitLogistic(rows.map((r) => modelInputs(r.signals, EPS)), rows.map((r) => r.accepted), L2);
const round = (x: number): number => Math.round(x * 1e6) / 1e6;
const model: ConsistencyModel = {
  format: 1,
  eps: EPS,
  weights: Object.fromEntries(SUPPORT_SIGNALS.map((k, i) => [k, round(fit.weights[i])])) as ConsistencyModel['weights'],
  perUnsupportedName: round(fit.weights[SUPPORT_SIGNALS.length]),
  perUnsupportedNumber: round(fit.weights[SUPPORT_SIGNALS.length + 1]),
  bias: round(fit.bias),
  fitted: { on, labels: rows.length, at },
};
writeFileSync(path.join(outDir, 'consistency-model.json'), `${JSON.stringify(model, null, 2)}\n`);

// The other criteria have no human labels here, so they get no curve and pass through as scored.
const curve = fitIsotonic(rows.map((r) => ({ score: consistencyScore(r.signals, model), label: r.accepted })), { minBlock: MIN_BLOCK, prior: 0 });
const calibration: Calibration = {
  format: 1,
  judge: new HeuristicJudge().version,
  task: 'summarization',
  fitted: { on, labels: rows.length, at },
  criteria: { consistency: curve },
};
writeFileSync(path.join(outDir, 'summarization.json'), `${JSON.stringify(calibration, null, 2)}\n`);
console.log(`fitted on ${rows.length} labelled summaries: weights ${JSON.stringify(model.weights)}, per unsupported name ${model.perUnsupportedName}, number ${model.perUnsupportedNumber}; calibration with ${curve.x.length} knots`);
