// Wraps any judge so its scores read as probabilities: each criterion's raw score goes through
// the calibration's curve for that criterion. The raw scores travel with the result, so a person
// sees what the judge measured, and a new calibration re-maps stored scores without judging again.
import type { Judge, JudgeResult, Sample, TaskType } from '../types';
import { calibrate, calibrationId, type Calibration } from './Calibration';

export class CalibratedJudge implements Judge {
  readonly name: string;
  readonly version: string;
  readonly rawVersion: string;
  private readonly byTask: Map<TaskType, Calibration>;

  constructor(
    readonly inner: Judge,
    calibrations: readonly Calibration[],
  ) {
    const usable = calibrations.filter((c) => c.judge === inner.version);
    this.byTask = new Map(usable.map((c) => [c.task, c]));
    this.name = inner.name;
    this.rawVersion = inner.version;
    // The calibration is part of the version: cached scores are recomputed when it changes.
    this.version = usable.length ? `${inner.version}+cal-${usable.map(calibrationId).sort().join('-')}` : inner.version;
  }

  calibrationFor(task: TaskType): Calibration | undefined {
    return this.byTask.get(task);
  }

  async judge(sample: Sample, task: TaskType, signal?: AbortSignal): Promise<JudgeResult> {
    const raw = await this.inner.judge(sample, task, signal);
    return this.byTask.has(task) ? { ...raw, scores: this.fromRaw(raw.scores, task), raw: raw.scores } : raw;
  }

  fromRaw(raw: Record<string, number>, task: TaskType): Record<string, number> {
    const c = this.byTask.get(task);
    return c ? calibrate(c, raw) : raw;
  }
}
