// The embedded judge: no model, no network, deterministic. It scores what is visible on the
// surface (overlap with the source, invented names and numbers, repetition, truncation, coverage)
// and says so in every rationale. Good enough to gate obvious failures; an LLM judge sees more.
import { parseCalibration, type Calibration } from '../calibration/Calibration';
import type { Judge, JudgeResult, Sample, TaskType } from '../types';
import summarizationCalibration from './calibration/summarization.json';
import { judgeClassification } from './classification';
import { judgeQa } from './qa';
import { judgeSummary } from './summarization';

/** Fitted by scripts/fit-judge-calibration.ts on labelled data; see that script for how. */
export const SHIPPED_CALIBRATIONS: readonly Calibration[] = [parseCalibration(summarizationCalibration, 'heuristic/calibration/summarization.json')];

export class HeuristicJudge implements Judge {
  readonly name = 'heuristic (no model)';
  /** Bump when any scorer, weight or word list changes: cached scores are keyed by it. */
  readonly version = 'heuristic-2';

  async judge(sample: Sample, task: TaskType, signal?: AbortSignal): Promise<JudgeResult> {
    signal?.throwIfAborted();
    // Callers are typed, but samples come from user files: never let a null crash the daemon.
    const input = typeof sample.input === 'string' ? sample.input : String(sample.input ?? '');
    const output = typeof sample.output === 'string' ? sample.output : String(sample.output ?? '');
    switch (task) {
      case 'summarization':
        return judgeSummary(input, output);
      case 'classification':
        return judgeClassification(input, output);
      case 'qa':
        return judgeQa(input, output);
      default:
        throw new Error(`heuristic judge: unknown task type "${String(task)}"`);
    }
  }
}
