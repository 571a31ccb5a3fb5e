import { RunsCancel } from '../../protocol';
import { printJson, withClient, type CliContext } from '../context';
import { describeRun } from './runs';

export async function cancel(ctx: CliContext): Promise<number> {
  const r = await withClient(ctx, (c) => c.request(RunsCancel, ctx.args[0] ? { id: ctx.args[0] } : {}));
  if (ctx.json) printJson(ctx, r);
  else ctx.out.write(describeRun(r) + '\n');
  return 0;
}
