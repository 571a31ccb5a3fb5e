// finetune judge eval | calibrate | calibrations: the judge measured against people's labels.
import { UsageError, type CliContext } from '../context';
import { judgeCalibrate } from './judgeCalibrate';
import { judgeCalibrations } from './judgeCalibrations';
import { judgeEval } from './judgeEval';

export const JUDGE_USAGE = 'finetune judge eval [--labels FILE] [--precision P] | calibrate [--labels FILE] [--yes] | calibrate --revert | calibrations';

const SUBCOMMANDS: Record<string, (ctx: CliContext) => Promise<number>> = { eval: judgeEval, calibrate: judgeCalibrate, calibrations: judgeCalibrations };

export async function judge(ctx: CliContext): Promise<number> {
  const [sub, ...rest] = ctx.args;
  const run = sub ? SUBCOMMANDS[sub] : undefined;
  if (!run) throw new UsageError(sub ? `unknown judge subcommand "${sub}"` : 'judge needs a subcommand', JUDGE_USAGE);
  if (rest.length) throw new UsageError(`judge ${sub} takes no arguments, got "${rest.join(' ')}"`, JUDGE_USAGE);
  return run({ ...ctx, args: rest });
}
