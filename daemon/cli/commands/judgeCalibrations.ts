// finetune judge calibrations: the workspace's calibration versions, the one in use, and how
// many labels there are so far.
import { JudgeCalibrations } from '../../protocol';
import { printJson, withClient, type CliContext } from '../context';

export async function judgeCalibrations(ctx: CliContext): Promise<number> {
  const r = await withClient(ctx, (c) => c.request(JudgeCalibrations, {}));
  if (ctx.json) {
    printJson(ctx, r);
    return 0;
  }
  const inUse = r.inUse.source === 'workspace' ? `workspace ${r.inUse.version}` : r.inUse.source === 'shipped' ? 'the one the judge ships with' : 'none (raw scores)';
  const lines = [`judge        ${r.judge.name} · ${r.judge.version}`, `in use       ${inUse}`];
  if (r.problem) lines.push(`note         ${r.problem}`);
  lines.push(`labels       ${r.overrides} Accept / Reject overrides${r.overrides < r.needed ? ` (${r.needed - r.overrides} more needed to measure or calibrate)` : ''}`);
  if (r.versions.length === 0) lines.push('versions     none yet: fit one with "finetune judge calibrate"');
  for (const v of r.versions) {
    const criteria = v.criteria.length ? v.criteria.join(', ') : 'no curves';
    lines.push(`${v.current ? '*' : ' '} ${v.version.padEnd(5)} ${v.savedAt.slice(0, 19).replace('T', ' ')}  ${v.labels} labels from ${v.fittedOn}: ${criteria}${v.stale ? `  (fitted on judge ${v.judge}: not usable by this judge)` : ''}`);
  }
  ctx.out.write(lines.join('\n') + '\n');
  return 0;
}
