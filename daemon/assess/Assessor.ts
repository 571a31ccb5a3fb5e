// Judges samples and records the verdicts: the only place a sample gets its score. A sample
// already judged by the same judge version is served from the stored assessments, and one judged
// by the same provider under another calibration is re-mapped from its raw scores, not re-judged.
import { criteriaFor } from '../judge/criteria';
import { applyGate, gateVerdict, gateVerdictOf, type GateSettings } from '../judge/gate';
import type { Judge, Sample, TaskType } from '../judge/types';
import type { Metrics } from '../metrics';
import type { Assessment, Verdict } from '../protocol';
import type { IdSlots } from '../store/IdSlots';
import type { StoreLogger } from '../store/logger';
import { AssessmentBook } from './AssessmentBook';
import type { AssessmentBrief } from './AssessmentBriefs';

export interface AssessorSettings {
  task: TaskType;
  gate: GateSettings;
  /** Criterion names to keep (empty: all of the task's criteria). */
  criteria: string[];
}

export class Assessor {
  private constructor(
    readonly stored: AssessmentBook,
    private judge: Judge,
    private settings: AssessorSettings,
    private readonly metrics: Metrics,
  ) {}

  /** `ids`: the workspace's numbering of sample ids, shared with the dataset store (default: the one saved in state.db). */
  static async open(stateDir: string, judge: Judge, settings: AssessorSettings, metrics: Metrics, logger: StoreLogger, ids?: IdSlots): Promise<Assessor> {
    return new Assessor(await AssessmentBook.open(stateDir, logger, ids), judge, settings, metrics);
  }

  get judgeInfo(): { name: string; version: string } {
    return { name: this.judge.name, version: this.judge.version };
  }

  reconfigure(judge: Judge, settings: AssessorSettings): void {
    this.judge = judge;
    this.settings = settings;
  }

  /**
   * A verdict from the stored assessments when this judge version already scored the sample, or
   * when the same provider did under another calibration (its raw scores are re-mapped).
   */
  cached(id: string): Assessment | undefined {
    const view = this.stored.view(id);
    const use = view && this.usable(view.shape);
    if (!use) return undefined;
    const a = this.stored.get(id)!;
    return this.regate(use === 'same' ? a : this.recalibrated(a));
  }

  /** The verdict `cached(id)` would give, from memory (for passes over a whole dataset). */
  verdictOf(id: string): Verdict | undefined {
    return this.verdictAt(this.stored.slotOf(id));
  }

  /** verdictOf() of the sample with this slot of the workspace's numbering. */
  verdictAt(slot: number): Verdict | undefined {
    const view = this.stored.viewAt(slot);
    const use = view && this.usable(view.shape);
    if (use === 'same') return gateVerdictOf(view!.shape.scores, view!.values, view!.from, this.settings.gate);
    if (use !== 'remap') return undefined;
    const brief = this.stored.briefAt(slot)!;
    return gateVerdict(this.recalibratedScores(brief.scores, brief.raw), this.settings.gate);
  }

  /** Whether the sample was judged, but by another judge or for another task (a re-judge would refresh it). */
  isOutdated(id: string): boolean {
    return this.isOutdatedAt(this.stored.slotOf(id));
  }

  isOutdatedAt(slot: number): boolean {
    const view = this.stored.viewAt(slot);
    return view !== undefined && !this.usable(view.shape);
  }

  /** The verdict as recorded, under whatever judge and gate gave it. */
  recordedVerdictAt(slot: number): Verdict | undefined {
    return this.stored.viewAt(slot)?.shape.verdict;
  }

  close(): Promise<void> {
    return this.stored.close();
  }

  /** 'same': this judge version gave it; 'remap': the same provider under another calibration; else unusable. */
  private usable(b: Pick<AssessmentBrief, 'task' | 'judgeVersion'> & { rawVersion?: string | null }): 'same' | 'remap' | undefined {
    if (b.task !== this.settings.task) return undefined;
    if (b.judgeVersion === this.judge.version) return 'same';
    return (b.rawVersion ?? b.judgeVersion) === (this.judge.rawVersion ?? this.judge.version) ? 'remap' : undefined;
  }

  /**
   * Judges without storing (the caller records a batch at once, for one fsync). `force` judges
   * again even when this judge version already has a verdict (an explicit re-judge).
   */
  async judgeOne(id: string, sample: Sample, signal?: AbortSignal, opts: { force?: boolean } = {}): Promise<Assessment> {
    const hit = opts.force ? undefined : this.cached(id);
    if (hit) return hit;
    const started = process.hrtime.bigint();
    let result;
    try {
      result = await this.judge.judge({ input: sample.input, output: sample.output }, this.settings.task, signal);
    } catch (err) {
      this.metrics.judgeErrors.inc({ judge: this.judge.name });
      throw err;
    }
    this.metrics.judgeLatency.observe({ judge: this.judge.name }, Number(process.hrtime.bigint() - started) / 1e9);
    const names = this.criterionNames();
    const scores: Record<string, number> = {};
    const rationale: Record<string, string> = {};
    for (const name of names) {
      scores[name] = clamp01(result.scores[name] ?? 0);
      rationale[name] = result.rationale[name] ?? '';
      this.metrics.judgeScore.observe({ criterion: name }, scores[name]);
    }
    const raw = result.raw && Object.fromEntries(names.map((name) => [name, clamp01(result.raw?.[name] ?? result.scores[name] ?? 0)]));
    const a = this.regate({
      id,
      task: this.settings.task,
      scores,
      rationale,
      average: 0,
      verdict: 'rejected',
      judge: this.judge.name,
      judgeVersion: this.judge.version,
      ...(raw && this.judge.rawVersion ? { raw, rawVersion: this.judge.rawVersion } : {}),
      at: new Date().toISOString(),
    });
    this.metrics.samplesAssessed.inc({ verdict: a.verdict });
    return a;
  }

  record(items: Assessment[]): Promise<void> {
    return this.stored.record(items);
  }

  /**
   * Re-derives average and verdict from the scores, so a changed min_average or floor applies
   * to old scores (and to those of an older judge version shown until they are re-judged).
   */
  regate(a: Assessment): Assessment {
    const { average, verdict, rejectedBy } = applyGate(a.scores, this.settings.gate);
    const { rejectedBy: _old, ...rest } = a;
    return rejectedBy ? { ...rest, average, verdict, rejectedBy } : { ...rest, average, verdict };
  }

  /** A stored assessment of this provider with the current calibration's scores. */
  private recalibrated(a: Assessment): Assessment {
    const raw = a.raw ?? a.scores;
    const scores = this.recalibratedScores(a.scores, a.raw);
    const { raw: _raw, rawVersion: _rawVersion, ...rest } = a;
    const calibrated = this.judge.rawVersion ? { raw, rawVersion: this.judge.rawVersion } : {};
    return { ...rest, scores, judgeVersion: this.judge.version, ...calibrated };
  }

  /** The current calibration's scores for these raw scores (the scores themselves when none were kept). */
  private recalibratedScores(scores: Record<string, number>, keptRaw: Record<string, number> | undefined): Record<string, number> {
    const raw = keptRaw ?? scores;
    const mapped = this.judge.fromRaw ? this.judge.fromRaw(raw, this.settings.task) : raw;
    return Object.fromEntries(Object.keys(scores).map((name) => [name, clamp01(mapped[name] ?? raw[name])]));
  }

  private criterionNames(): string[] {
    const all = criteriaFor(this.settings.task).map((c) => c.name);
    return this.settings.criteria.length ? all.filter((n) => this.settings.criteria.includes(n)) : all;
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
