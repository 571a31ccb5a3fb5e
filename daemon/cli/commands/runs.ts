import { RunsList, type RunSummary } from '../../protocol';
import { printJson, withClient, type CliContext } from '../context';

export function describeRun(r: RunSummary): string {
  const took = r.startedAt && r.endedAt ? ` in ${Math.round((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000)}s` : '';
  const extra = r.version ? ` → ${r.version}` : r.error ? ` — ${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ''}` : '';
  return `${r.id}  ${r.status.padEnd(9)} ${r.trigger.padEnd(9)} ${r.snapshot.count} samples, ${r.baseModel}${took}${extra}`;
}

export async function runs(ctx: CliContext): Promise<number> {
  const list = await withClient(ctx, (c) => c.request(RunsList, { limit: 50 }));
  if (ctx.json) printJson(ctx, list);
  else ctx.out.write(list.length ? list.map(describeRun).join('\n') + '\n' : 'no runs yet\n');
  return 0;
}
