import { ModelsList } from '../../protocol';
import { printJson, withClient, type CliContext } from '../context';

export async function models(ctx: CliContext): Promise<number> {
  const list = await withClient(ctx, (c) => c.request(ModelsList, {}));
  if (ctx.json) printJson(ctx, list);
  else ctx.out.write(list.length ? list.map((m) => `${m.current ? '*' : ' '} ${m.version}  ${m.path}`).join('\n') + '\n' : 'no model versions yet\n');
  return 0;
}
