import { StatusGet } from '../../protocol';
import { printJson, withClient, type CliContext } from '../context';

/** "average > 0.8, consistency ≥ 0.8": the rules a kept sample met. */
export function gateText(minAverage: number, floors: Record<string, number>): string {
  return [`average > ${minAverage}`, ...Object.entries(floors).map(([k, v]) => `${k} ≥ ${v}`)].join(', ');
}

export async function status(ctx: CliContext): Promise<number> {
  const s = await withClient(ctx, (c) => c.request(StatusGet, {}));
  if (ctx.json) {
    printJson(ctx, s);
    return 0;
  }
  const lines = [
    `workspace   ${s.workspace}`,
    `dataset     ${s.datasetPath}: ${s.datasetSamples} samples${s.invalidLines ? `, ${s.invalidLines} invalid lines` : ''}`,
    `collected   ${s.collected} new high-quality samples (${gateText(s.minAverage, s.floors ?? {})}; judge ${s.judge.name} ${s.judge.version})`,
    `threshold   ${s.threshold}: ${s.remaining === 0 ? 'reached' : `${s.remaining} more to fine-tune`}${s.enabled ? '' : ' (automatic runs disabled)'}`,
    `model       ${s.currentModel ? `${s.currentModel.version} at ${s.currentModel.path}` : 'none yet'}`,
    `run         ${s.activeRun ? `${s.activeRun.id} ${s.activeRun.status}` : 'none active'}`,
    `metrics     ${s.metrics}`,
    `log         ${s.logPath}`,
  ];
  if (s.configError) lines.push(`config      INVALID, using the last good config:\n${s.configError}`);
  if (s.storage) lines.push(`storage     FAULT: ${s.storage.message}\n            ${s.storage.hint}`);
  ctx.out.write(lines.join('\n') + '\n');
  return 0;
}
