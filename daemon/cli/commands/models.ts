import { ModelsList, ModelsPromote, ModelsRollback, type ModelVersion } from '../../protocol';
import { printJson, UsageError, withClient, type CliContext } from '../context';

function describe(m: ModelVersion): string {
  const after = (m.metrics as { after?: Record<string, number> } | undefined)?.after;
  const loss = typeof after?.eval_loss === 'number' ? `  eval_loss ${after.eval_loss.toFixed(4)}` : '';
  return `${m.current ? '*' : ' '} ${m.modelName ? `${m.modelName} ` : ''}${m.version}  ${m.status ?? ''}${loss}  ${m.path}`;
}

/** finetune models | models promote vN | models rollback */
export async function models(ctx: CliContext): Promise<number> {
  const [sub, version] = ctx.args;
  if (sub === 'promote' || sub === 'rollback') {
    if (sub === 'promote' && !version) throw new UsageError('promote needs a version', 'finetune models promote v2 (see the versions with "finetune models")');
    if (sub === 'promote' && !/^v\d+$/.test(version)) throw new UsageError(`"${version}" is not a version`, 'name one like v2 (see the versions with "finetune models")');
    const m = await withClient(ctx, (c) => (sub === 'promote' ? c.request(ModelsPromote, { version }) : c.request(ModelsRollback, {})));
    if (ctx.json) printJson(ctx, m);
    else ctx.out.write(`current: ${describe(m)}\n`);
    return 0;
  }
  if (sub) throw new UsageError(`unknown models subcommand "${sub}"`, 'use: finetune models, finetune models promote vN, finetune models rollback');
  const list = await withClient(ctx, (c) => c.request(ModelsList, {}));
  if (ctx.json) printJson(ctx, list);
  else ctx.out.write(list.length ? list.map(describe).join('\n') + '\n' : 'no model versions yet\n');
  return 0;
}
