// How `finetune judge eval` and `finetune judge calibrate` read on a terminal: the labels and where
// they came from, the agreement figures, the gate in use and the one a chosen precision needs, and
// the score-bucket table with a bar per bucket.
import type { Agreement, CalibrateReport, EvalReport } from '../protocol';

type Info = Pick<EvalReport, 'source' | 'overrides' | 'missing' | 'invalid' | 'judgeErrors' | 'judge' | 'task' | 'gate' | 'calibration' | 'calibrationProblem'>;

export const fixed = (x: number | null, digits = 2): string => (x === null ? '—' : x.toFixed(digits));
const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

export function gateText(gate: Info['gate']): string {
  const floors = Object.entries(gate.floors).map(([k, v]) => `${k} ≥ ${v}`);
  return [`average > ${gate.minAverage}`, ...floors].join(', ');
}

export function header(r: Info, labels: number): string[] {
  const cal = r.calibration;
  const calText = cal.source === 'workspace' ? `workspace ${cal.version} (fitted on ${cal.fittedOn})` : cal.source === 'shipped' ? 'the one the judge ships with' : 'none (raw scores)';
  const lines = [`judge        ${r.judge.name} · ${r.judge.version} · ${r.task}`, `calibration  ${calText}`];
  if (r.calibrationProblem) lines.push(`             note: ${r.calibrationProblem}`);
  const from = r.source === 'overrides' ? `Accept / Reject overrides (${r.overrides} in the workspace)` : r.source;
  lines.push(`labels       ${labels} from ${from}`);
  if (r.missing) lines.push(`             ${r.missing} override${r.missing === 1 ? '' : 's'} skipped: the sample's text was not found (its line changed before the text was kept)`);
  if (r.invalid.length) {
    lines.push(`             ${r.invalid.length}${r.invalid.length >= 50 ? '+' : ''} line${r.invalid.length === 1 ? '' : 's'} skipped:`);
    for (const i of r.invalid.slice(0, 10)) lines.push(`               ${r.source}:${i.line}: ${i.error}`);
    if (r.invalid.length > 10) lines.push(`               … (all of them with --json)`);
  }
  if (r.judgeErrors.length) {
    lines.push(`             ${r.judgeErrors.length}${r.judgeErrors.length >= 50 ? '+' : ''} the judge could not score, e.g. ${r.judgeErrors[0].where}: ${r.judgeErrors[0].error}`);
  }
  return lines;
}

export function agreementText(a: Agreement, gate: Info['gate']): string[] {
  const g = a.gateForPrecision;
  const suggestion =
    g.minAverage === null
      ? `no min_average reaches precision ${fixed(g.target)} with the floors in use`
      : `min_average ${fixed(g.minAverage)} keeps ${g.kept} (precision ${fixed(g.precision)}, recall ${fixed(g.recall)})`;
  const criteria = Object.entries(a.criteria).map(([k, v]) => `${k} ${fixed(v.spearman)}`);
  return [
    `people      accept ${a.accepted} of ${a.labels} (base rate ${pct(a.base)})`,
    `agreement   Spearman ${fixed(a.spearman)} · Kendall ${fixed(a.kendall)} · ROC AUC ${fixed(a.auc)} (average score against people)`,
    `gate        ${gateText(gate)}: keeps ${a.kept} of ${a.labels}; precision ${fixed(a.precision)}, recall ${fixed(a.recall)}`,
    `for ${fixed(g.target)}    ${suggestion}`,
    ...(criteria.length ? [`criteria    Spearman per criterion: ${criteria.join(' · ')}`] : []),
  ];
}

export function bucketTable(a: Agreement): string[] {
  const rows = a.buckets.map((b) => {
    const bar = b.accepted === null ? '' : '█'.repeat(Math.round(b.accepted * 20));
    return `  ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.n).padStart(6)}  ${pct(b.accepted).padStart(5)}  ${bar}`.trimEnd();
  });
  return ['  score     labels  accepted by people', ...rows];
}

export function evalText(r: EvalReport): string {
  return [...header(r, r.labels), '', ...agreementText(r, r.gate), '', ...bucketTable(r)].join('\n') + '\n';
}

export function calibrateText(r: CalibrateReport): string {
  const width = Math.max(...r.criteria.map((c) => c.name.length), 8);
  const fits = r.criteria.map((c) => `  ${c.name.padEnd(width)}  ${c.note}${c.fitted && c.spearman !== null ? ` (Spearman ${fixed(c.spearman)})` : ''}`);
  const row = (name: string, b: string, a: string) => `  ${name.padEnd(26)}${b.padStart(8)}${a.padStart(10)}`;
  const figures = [
    row('', 'before', 'after'),
    row('Spearman', fixed(r.before.spearman), fixed(r.after.spearman)),
    row('ROC AUC', fixed(r.before.auc), fixed(r.after.auc)),
    row('kept by the gate', String(r.before.kept), String(r.after.kept)),
    row('precision', fixed(r.before.precision), fixed(r.after.precision)),
    row('recall', fixed(r.before.recall), fixed(r.after.recall)),
    row(`min_average for ${fixed(r.before.gateForPrecision.target)}`, fixed(r.before.gateForPrecision.minAverage), fixed(r.after.gateForPrecision.minAverage)),
  ];
  return [
    ...header(r, r.before.labels),
    '',
    `fitted on ${r.before.labels} labels (people accept ${pct(r.before.base)}):`,
    ...fits,
    '',
    `gate ${gateText(r.gate)}; after = cross-validated (each label scored by curves fitted without it):`,
    ...figures,
  ].join('\n') + '\n';
}
