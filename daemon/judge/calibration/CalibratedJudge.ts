// Wraps any judge so its scores read as probabilities: each criterion's raw score goes through
// the calibration's curve for that criterion. The rationale keeps the raw score, so a person can
// see both what the judge measured and what it means.
import type { Judge, JudgeResult, Sample, TaskType } from '../types';
import { calibrate, calibrationId, type Calibration } from './Calibration';

export class CalibratedJudge implements Judge {
  readonly name: string;
  readonly version: string;
  private readonly byTask: Map<TaskType, Calibration>;

  constructor(
    readonly inner: Judge,
    calibrations: readonly Calibration[],
  ) {
    const usable = calibrations.filter((c) => c.judge === inner.version);
    this.byTask = new Map(usable.map((c) => [c.task, c]));
    this.name = inner.name;
    // The calibration is part of the version: cached scores are recomputed when it changes.
    this.version = usable.length ? `${inner.version}+cal-${usable.map(calibrationId).sort().join('-')}` : inner.version;
  }

  calibrationFor(task: TaskType): Calibration | undefined {
    return this.byTask.get(task);
  }

  async judge(sample: Sample, task: TaskType, signal?: AbortSignal): Promise<JudgeResult> {
    const raw = await this.inner.judge(sample, task, signal);
    const c = this.byTask.get(task);
    if (!c) return raw;
    const scores = calibrate(c, raw.scores);
    const rationale: Record<string, string> = { ...raw.rationale };
    for (const name of Object.keys(c.criteria)) {
      if (raw.scores[name] === undefined) continue;
      const said = (raw.rationale[name] ?? '').trim().replace(/\.$/, '');
      const note = `raw score ${raw.scores[name].toFixed(2)}, calibrated on ${c.fitted.labels} human labels`;
      rationale[name] = said ? `${said}; ${note}.` : `${note[0].toUpperCase()}${note.slice(1)}.`;
    }
    return { scores, rationale };
  }
}
