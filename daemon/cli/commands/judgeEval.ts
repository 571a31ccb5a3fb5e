// finetune judge eval [--labels FILE] [--precision P]: how the configured judge agrees with
// people's labels (the workspace's Accept / Reject overrides, or a labels file).
import { JudgeEval } from '../../protocol';
import { printJson, withClient, type CliContext } from '../context';
import { judgeParams, showProgress } from '../judgeParams';
import { evalText } from '../judgeText';

export async function judgeEval(ctx: CliContext): Promise<number> {
  const params = judgeParams(ctx);
  const report = await withClient(ctx, async (c) => {
    const done = showProgress(ctx, c, params.progressToken);
    try {
      return await c.request(JudgeEval, params);
    } finally {
      done();
    }
  });
  if (ctx.json) printJson(ctx, report);
  else ctx.out.write(evalText(report));
  return 0;
}
