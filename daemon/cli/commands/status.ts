import { StatusGet } from '../../protocol';
import { printJson, withClient, type CliContext } from '../context';

export async function status(ctx: CliContext): Promise<number> {
  const s = await withClient(ctx, (c) => c.request(StatusGet, {}));
  if (ctx.json) {
    printJson(ctx, s);
    return 0;
  }
  const lines = [
    `workspace   ${s.workspace}`,
    `dataset     ${s.datasetPath}: ${s.datasetSamples} samples${s.invalidLines ? `, ${s.invalidLines} invalid lines` : ''}`,
    `collected   ${s.collected} new high-quality samples (average > ${s.minAverage}, judge ${s.judge.name})`,
    `threshold   ${s.threshold}: ${s.remaining === 0 ? 'reached' : `${s.remaining} more to fine-tune`}${s.enabled ? '' : ' (automatic runs disabled)'}`,
    `model       ${s.currentModel ? `${s.currentModel.version} at ${s.currentModel.path}` : 'none yet'}`,
    `run         ${s.activeRun ? `${s.activeRun.id} ${s.activeRun.status}` : 'none active'}`,
    `metrics     ${s.metrics}`,
    `log         ${s.logPath}`,
  ];
  if (s.configError) lines.push(`config      INVALID, using the last good config:\n${s.configError}`);
  ctx.out.write(lines.join('\n') + '\n');
  return 0;
}
