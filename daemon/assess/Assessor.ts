// Judges samples and records the verdicts: the only place a sample gets its score. A sample
// already judged by the same judge version is served from the stored assessments, and one judged
// by the same provider under another calibration is re-mapped from its raw scores, not re-judged.
import { criteriaFor } from '../judge/criteria';
import { applyGate, gateVerdict, type GateSettings } from '../judge/gate';
import type { Judge, Sample, TaskType } from '../judge/types';
import type { Metrics } from '../metrics';
import { assessment as assessmentSchema, type Assessment, type Verdict } from '../protocol';
import { LatestById } from './LatestById';
import type { StoreLogger } from '../store/logger';

export interface AssessorSettings {
  task: TaskType;
  gate: GateSettings;
  /** Criterion names to keep (empty: all of the task's criteria). */
  criteria: string[];
}

export class Assessor {
  /** Stored assessments re-mapped to the current calibration, kept while their record stays the same. */
  private remapped = new Map<string, { from: Assessment; to: Assessment }>();

  private constructor(
    readonly stored: LatestById<Assessment>,
    private judge: Judge,
    private settings: AssessorSettings,
    private readonly metrics: Metrics,
  ) {}

  static async open(stateDir: string, judge: Judge, settings: AssessorSettings, metrics: Metrics, logger: StoreLogger): Promise<Assessor> {
    const stored = await LatestById.open(stateDir, 'assessments.jsonl', (v) => assessmentSchema.parse(v), logger);
    return new Assessor(stored, judge, settings, metrics);
  }

  get judgeInfo(): { name: string; version: string } {
    return { name: this.judge.name, version: this.judge.version };
  }

  reconfigure(judge: Judge, settings: AssessorSettings): void {
    this.judge = judge;
    this.settings = settings;
    this.remapped.clear();
  }

  /**
   * A verdict from the stored assessments when this judge version already scored the sample, or
   * when the same provider did under another calibration (its raw scores are re-mapped).
   */
  cached(id: string): Assessment | undefined {
    const a = this.stored.get(id);
    if (!a || a.task !== this.settings.task) return undefined;
    if (a.judgeVersion === this.judge.version) return this.regate(a);
    if ((a.rawVersion ?? a.judgeVersion) !== (this.judge.rawVersion ?? this.judge.version)) return undefined;
    const memo = this.remapped.get(id);
    if (memo?.from === a) return memo.to;
    const to = this.regate(this.recalibrated(a));
    this.remapped.set(id, { from: a, to });
    return to;
  }

  /** The verdict `cached(id)` would give, building no assessment (for counting a whole dataset). */
  verdictOf(id: string): Verdict | undefined {
    const a = this.stored.get(id);
    if (!a || a.task !== this.settings.task) return undefined;
    if (a.judgeVersion === this.judge.version) return gateVerdict(a.scores, this.settings.gate);
    return this.cached(id)?.verdict;
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
    const mapped = this.judge.fromRaw ? this.judge.fromRaw(raw, a.task) : raw;
    const scores = Object.fromEntries(Object.keys(a.scores).map((name) => [name, clamp01(mapped[name] ?? raw[name])]));
    const { raw: _raw, rawVersion: _rawVersion, ...rest } = a;
    const calibrated = this.judge.rawVersion ? { raw, rawVersion: this.judge.rawVersion } : {};
    return { ...rest, scores, judgeVersion: this.judge.version, ...calibrated };
  }

  private criterionNames(): string[] {
    const all = criteriaFor(this.settings.task).map((c) => c.name);
    return this.settings.criteria.length ? all.filter((n) => this.settings.criteria.includes(n)) : all;
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
