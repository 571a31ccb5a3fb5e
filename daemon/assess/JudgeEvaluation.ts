// The judge measured against people's labels, and calibrated on them: judge/eval, judge/calibrate
// (a preview, then an apply that writes a new calibration version), revert and list. The judge
// scores each labelled sample once (raw, cached); the calibration in use and a candidate one are
// both applied to those raw scores, so before and after compare like with like.
import type { Config } from '../config';
import { floorsFor } from '../config';
import { DomainError } from '../errors/DomainError';
import { calibrate, calibrationId, type Calibration } from '../judge/calibration/Calibration';
import { CalibratedJudge } from '../judge/calibration/CalibratedJudge';
import type { CalibrationStore } from '../judge/calibration/CalibrationStore';
import { createJudge } from '../judge/createJudge';
import { criteriaFor } from '../judge/criteria';
import { measureAgreement, type ScoredLabel } from '../judge/evaluation/agreement';
import { crossValidatedScores } from '../judge/evaluation/crossValidate';
import { fitCalibration } from '../judge/evaluation/fitCalibration';
import { MIN_LABELS, tooFewMessage } from '../judge/evaluation/labels';
import type { GateSettings } from '../judge/gate';
import { JudgeCache } from '../judge/JudgeCache';
import type { Judge, TaskType } from '../judge/types';
import type { CalibrateReport, CalibrationInUse, CalibrationsResult, EvalReport, LabelsSource } from '../protocol';
import type { JsonlLine } from '../store/jsonlLines';
import { sampleId } from '../store/sampleId';
import { countOverrides, fileLabels, overrideLabels, type Gathered, type OverrideSources } from './gatherLabels';
import { scoreLabels, type RawScored } from './scoreLabels';

export type Progress = (fraction: number, message: string) => void;

export interface JudgeEvaluationDeps extends OverrideSources {
  config(): Config;
  env: NodeJS.ProcessEnv;
  calibrations: CalibrationStore;
  openLabels(source: LabelsSource): { shown: string; lines: AsyncIterable<JsonlLine> };
  /** Rebuilds the daemon's judge once the workspace calibration changed. */
  judgeChanged(): Promise<void>;
}

interface Setup {
  config: Config;
  task: TaskType;
  judge: Judge;
  raw: Judge;
  inUse: Calibration | undefined;
  calibration: CalibrationInUse;
  problem: string | null;
  gate: GateSettings;
  criteria: string[];
}

interface Measured {
  gathered: Gathered;
  scored: RawScored[];
  errors: { where: string; error: string }[];
  setup: Setup;
}

const MAX_LISTED = 50;

export class JudgeEvaluation {
  private cache: { key: string; judge: JudgeCache } | undefined;

  constructor(private readonly d: JudgeEvaluationDeps) {}

  async evaluate(p: { labels?: LabelsSource; precision: number }, progress: Progress, signal?: AbortSignal): Promise<EvalReport> {
    const m = await this.measure(p.labels, progress, signal);
    const items: ScoredLabel[] = m.scored.map((s) => ({ scores: applied(m.setup.inUse, s.raw), human: s.label.human }));
    return { ...measureAgreement(items, m.setup.gate, p.precision), ...this.info(m) };
  }

  async calibrate(p: { labels?: LabelsSource; precision: number; apply: boolean; expect?: string }, progress: Progress, signal?: AbortSignal): Promise<CalibrateReport> {
    const setup = this.setup();
    if (setup.config.judge.calibration === 'none') {
      throw new DomainError('calibration-off', 'judge.calibration is "none" in config/models.yml, so a calibration would not be used', 'set judge.calibration to "auto" (the default) first');
    }
    const m = await this.measure(p.labels, progress, signal, setup);
    const raw = m.scored.map((s) => ({ id: s.label.id, raw: s.raw, human: s.label.human }));
    const rejected = raw.filter((r) => r.human < 1).length;
    const accepted = raw.length - rejected;
    if (Math.min(accepted, rejected) < 5) {
      throw new DomainError(
        'too-few-labels',
        `${raw.length} labels, ${accepted} accepted and ${rejected} not: a calibration needs at least 5 of each`,
        m.gathered.source === 'overrides' ? 'accept and reject samples that the judge got wrong, in the editor or with "finetune annotate"' : 'add labels of the missing kind to the labels file',
        { accepted, rejected },
      );
    }
    const meta = { judge: setup.raw.version, task: setup.task, on: m.gathered.source === 'overrides' ? `${raw.length} overrides` : m.gathered.source, at: new Date().toISOString() };
    const fit = fitCalibration(raw, meta, setup.inUse);
    const id = calibrationId(fit.calibration);
    const changes = fit.criteria.some((c) => c.fitted);
    const before = measureAgreement(raw.map((r) => ({ scores: applied(setup.inUse, r.raw), human: r.human })), setup.gate, p.precision);
    const after = measureAgreement(crossValidatedScores(raw, meta, setup.inUse), setup.gate, p.precision);
    let version: string | null = null;
    if (p.apply) {
      if (!changes) throw new DomainError('nothing-to-calibrate', 'no criterion agrees with these labels better than chance, so there is nothing to calibrate', 'add labels where the judge and people disagree, then try again');
      if (p.expect !== undefined && p.expect !== id) {
        throw new DomainError('labels-changed', 'the labels changed since the preview, so the calibration differs from the one shown', 'run "finetune judge calibrate" again to see the new one');
      }
      const figures = (a: typeof before) => ({ precision: a.precision, recall: a.recall, auc: a.auc, spearman: a.spearman });
      version = (await this.d.calibrations.save(fit.calibration, { before: figures(before), after: figures(after) })).version;
      await this.d.judgeChanged();
    }
    const info = this.info(m);
    // Once applied, the judge in use is the newly calibrated one, not the one measured before.
    if (p.apply) info.judge = { name: this.setup().judge.name, version: this.setup().judge.version };
    return { ...info, id, changes, applied: p.apply, version, criteria: fit.criteria, curves: fit.calibration.criteria, before, after };
  }

  async revert(): Promise<{ reverted: string; current: string | null; judge: { name: string; version: string } }> {
    const { from, to } = await this.d.calibrations.revert();
    await this.d.judgeChanged();
    const judge = this.setup().judge;
    return { reverted: from.version, current: to?.version ?? null, judge: { name: judge.name, version: judge.version } };
  }

  async list(): Promise<CalibrationsResult> {
    const s = this.setup();
    const current = this.d.calibrations.current?.version ?? null;
    const versions = (await this.d.calibrations.list()).map((v) => ({
      version: v.version,
      previous: v.previous,
      savedAt: v.savedAt,
      judge: v.calibration.judge,
      labels: v.calibration.fitted.labels,
      fittedOn: v.calibration.fitted.on,
      criteria: Object.keys(v.calibration.criteria),
      current: v.version === current,
      stale: v.calibration.judge !== s.raw.version,
    }));
    return {
      current,
      inUse: s.calibration,
      problem: s.problem,
      judge: { name: s.judge.name, version: s.judge.version },
      overrides: countOverrides(this.d.annotations),
      needed: MIN_LABELS,
      versions,
    };
  }

  /** Gathers the labels, refuses too few, and scores them with the raw judge. */
  private async measure(source: LabelsSource | undefined, progress: Progress, signal?: AbortSignal, setup = this.setup()): Promise<Measured> {
    const gathered = source ? await fileLabels(this.d.openLabels(source)) : await overrideLabels(this.d);
    requireEnough(gathered.labels.length, gathered, []);
    const { scored, errors } = await scoreLabels(this.rawJudge(setup), setup.task, setup.criteria, gathered.labels, progress, signal);
    requireEnough(scored.length, gathered, errors);
    return { gathered, scored, errors, setup };
  }

  private info(m: Measured): Omit<EvalReport, keyof ReturnType<typeof measureAgreement>> {
    const s = m.setup;
    return {
      source: m.gathered.source,
      overrides: countOverrides(this.d.annotations),
      missing: m.gathered.missing,
      invalid: m.gathered.invalid.slice(0, MAX_LISTED),
      judgeErrors: m.errors.slice(0, MAX_LISTED),
      judge: { name: s.judge.name, version: s.judge.version },
      task: s.task,
      gate: { minAverage: s.gate.minAverage, floors: { ...s.gate.floors } },
      calibration: s.calibration,
      calibrationProblem: s.problem,
    };
  }

  /** The judge as configured, built the way the daemon builds it, and what it is made of. */
  private setup(): Setup {
    const config = this.d.config();
    const task = config.finetuning.task;
    const own = this.d.calibrations.calibrations();
    const judge = createJudge(config.judge, this.d.env, own);
    const inUse = judge instanceof CalibratedJudge ? judge.calibrationFor(task) : undefined;
    const raw = judge instanceof CalibratedJudge ? judge.inner : judge;
    const mine = this.d.calibrations.current;
    const fromWorkspace = inUse !== undefined && mine !== null && own.includes(inUse);
    const calibration: CalibrationInUse = {
      source: inUse === undefined ? 'none' : fromWorkspace ? 'workspace' : 'shipped',
      version: fromWorkspace ? mine!.version : null,
      labels: inUse?.fitted.labels ?? null,
      fittedOn: inUse?.fitted.on ?? null,
      curves: inUse?.criteria ?? {},
    };
    let problem = this.d.calibrations.problem;
    if (!problem && mine && mine.calibration.judge !== raw.version) {
      problem = `the workspace calibration ${mine.version} was fitted on judge ${mine.calibration.judge}, but the judge is now ${raw.version}, so it is not used: calibrate again`;
    } else if (!problem && mine && config.judge.calibration === 'none') {
      problem = `the workspace calibration ${mine.version} is not used because judge.calibration is "none"`;
    }
    const all = criteriaFor(task).map((c) => c.name);
    const chosen = config.judge.criteria[task] ?? [];
    return {
      config,
      task,
      judge,
      raw,
      inUse,
      calibration,
      problem,
      gate: { minAverage: config.judge.min_average, floors: floorsFor(config.judge, task) },
      criteria: chosen.length ? all.filter((n) => chosen.includes(n)) : all,
    };
  }

  /** One cache of raw scores per judge configuration, so eval then calibrate judges each sample once. */
  private rawJudge(s: Setup): Judge {
    const key = JSON.stringify([s.raw.name, s.raw.version, s.config.judge.provider, s.config.judge.openai]);
    if (this.cache?.key !== key) this.cache = { key, judge: new JudgeCache(s.raw, { keyOf: (sample) => sampleId(sample), maxEntries: 20_000 }) };
    return this.cache.judge;
  }
}

function applied(c: Calibration | undefined, raw: Record<string, number>): Record<string, number> {
  return c ? calibrate(c, raw) : raw;
}

function requireEnough(have: number, g: Gathered, errors: { where: string; error: string }[]): void {
  if (have >= MIN_LABELS) return;
  const fromFile = g.source !== 'overrides';
  const notes: string[] = [];
  if (g.invalid.length) notes.push(`${g.invalid.length} line${g.invalid.length === 1 ? '' : 's'} skipped: ${g.invalid.slice(0, 3).map((i) => `line ${i.line}: ${i.error}`).join('; ')}`);
  if (g.missing) notes.push(`${g.missing} override${g.missing === 1 ? '' : 's'} whose sample text was not found`);
  if (errors.length) notes.push(`${errors.length} the judge could not score: ${errors[0].error}`);
  const what = fromFile ? `${g.source}: ${have} usable labels` : `${have} labels (Accept / Reject overrides)`;
  throw new DomainError(
    'too-few-labels',
    `${tooFewMessage(have, what)}${notes.length ? ` (${notes.join('; ')})` : ''}`,
    fromFile
      ? 'add labelled lines to the file, one {"input", "output", "human"} object each (human: 0 to 1, 1 = accepted)'
      : 'accept or reject samples in the editor (the code lenses above each line) or with "finetune annotate accept|reject FILE:LINE", or pass a labels file with --labels FILE',
    { labels: have, needed: MIN_LABELS - have, invalid: g.invalid.slice(0, MAX_LISTED) },
  );
}
