// The judge/* requests: measure the judge against people's labels, calibrate it, list and revert
// its calibrations. Thin: the service does the work; progress goes to the requesting client.
import type { JudgeEvaluation } from '../assess/JudgeEvaluation';
import { JudgeCalibrate, JudgeCalibrations, JudgeEval, JudgeRevertCalibration } from '../protocol';
import { handler, type Handler } from './dispatch';

export function judgeHandlers(judging: JudgeEvaluation): Handler[] {
  return [
    handler(JudgeEval, (p, ctx) => judging.evaluate({ labels: p.labels, precision: p.precision }, ctx.progress, ctx.signal)),
    handler(JudgeCalibrate, (p, ctx) => judging.calibrate({ labels: p.labels, precision: p.precision, apply: p.apply, expect: p.expect }, ctx.progress, ctx.signal)),
    handler(JudgeCalibrations, () => judging.list()),
    handler(JudgeRevertCalibration, () => judging.revert()),
  ];
}
