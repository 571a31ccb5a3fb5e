// The demo's closing report: what was judged and kept (and why the rest was rejected), the run,
// held-out metrics before and after, and where the model, metrics and logs are.
import * as path from 'node:path';
import type { ModelVersion, RunSummary } from '../protocol';

export interface DemoTally {
  judged: number;
  kept: number;
  rejected: Record<string, number>;
  lastReason?: Record<string, string>;
}

export function printReport(r: { workspace: string; tally: DemoTally; run: RunSummary; models: ModelVersion[]; metrics: string; say(line: string): void }): void {
  const { tally, run, say } = r;
  const v = r.models.find((m) => m.version === run.version);
  const m = (v?.metrics ?? {}) as { before?: Record<string, number>; after?: Record<string, number> };
  const lines = [
    '',
    '==================== flywheel report ====================',
    `samples judged      ${tally.judged}`,
    `kept (default gate) ${tally.kept}`,
    `rejected            ${tally.judged - tally.kept}${Object.keys(tally.rejected).length ? ':' : ''}`,
    ...Object.entries(tally.rejected).map(([kind, n]) => `  ${kind.padEnd(17)} ${n}  e.g. ${tally.lastReason?.[kind] ?? ''}`),
    `run                 ${run.id}: ${run.status}${run.startedAt && run.endedAt ? ` in ${Math.round((Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000)}s` : ''} on ${run.snapshot.count} samples`,
  ];
  if (run.error) lines.push(`error               ${run.error.message}${run.error.hint ? ` — ${run.error.hint}` : ''}`);
  if (m.before && m.after) {
    lines.push('held-out            before     after');
    for (const k of ['eval_loss', 'rouge1', 'rouge2', 'rougeL']) {
      if (typeof m.before[k] === 'number' && typeof m.after[k] === 'number') lines.push(`  ${k.padEnd(17)} ${m.before[k].toFixed(4).padStart(8)}  ${m.after[k].toFixed(4).padStart(8)}`);
    }
  }
  if (v) {
    lines.push(`model version       ${v.version}${v.current ? ' (current)' : ' (candidate)'}`);
    lines.push(`model folder        ${v.path}`);
    lines.push(`model card          ${path.join(v.path, 'README.md')}`);
  }
  lines.push(
    `open in VS Code     code ${r.workspace}   (install the .vsix: see README "Using it in VS Code")`,
    `metrics             ${r.metrics} (while a daemon runs: finetune daemon --workspace ${r.workspace})`,
    `log                 ${path.join(r.workspace, 'logs', 'finetuning.log')}`,
    '=========================================================',
  );
  for (const l of lines) say(l);
}
