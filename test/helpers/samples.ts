// Samples for tests, from the project's own seeded generator (the same one the demo uses).
import { DEFAULT_CONFIG, floorsFor } from '../../daemon/config';
import { generateSamples, type GeneratedSample } from '../../daemon/demo/generator';
import { calibrate } from '../../daemon/judge/calibration/Calibration';
import { applyGate } from '../../daemon/judge/gate';
import { SHIPPED_CALIBRATIONS } from '../../daemon/judge/heuristic/HeuristicJudge';
import { judgeSummary } from '../../daemon/judge/heuristic/summarization';

const gate = { minAverage: DEFAULT_CONFIG.judge.min_average, floors: floorsFor(DEFAULT_CONFIG.judge, 'summarization') };
const calibration = SHIPPED_CALIBRATIONS.find((c) => c.task === 'summarization')!;

/** The default judge's verdict, computed synchronously (the heuristic does no I/O). */
export function defaultVerdict(s: { input: string; output: string }): 'accepted' | 'rejected' {
  return applyGate(calibrate(calibration, judgeSummary(s.input, s.output).scores), gate).verdict;
}

/**
 * Good samples that the default judge and gate keep, or flawed ones that they reject. The strict
 * default gate keeps only part of the generator's good summaries (the judge benchmark measures
 * how much); tests of thresholds, runs and the editor need samples whose verdict is known.
 */
export function samplesOf(kind: 'good' | 'flawed', count: number, seed = 7): GeneratedSample[] {
  const out: GeneratedSample[] = [];
  for (const s of generateSamples({ seed, count: count * 12, flawedShare: 0.5 })) {
    if ((kind === 'good') !== (s.kind === 'good')) continue;
    if (defaultVerdict(s) === (kind === 'good' ? 'accepted' : 'rejected')) out.push(s);
    if (out.length === count) break;
  }
  if (out.length < count) throw new Error(`generator gave only ${out.length} ${kind} samples`);
  return out;
}

export function jsonl(samples: { input: string; output: string }[]): string {
  return samples.map((s) => JSON.stringify({ input: s.input, output: s.output })).join('\n') + '\n';
}
