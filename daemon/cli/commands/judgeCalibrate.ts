// finetune judge calibrate [--labels FILE] [--yes] | --revert: fits the judge's calibration on
// people's labels, shows what it changes, and writes it only when confirmed (a prompt on a
// terminal, or --yes). --json without --yes is a preview only. --revert goes back one version.
import * as readline from 'node:readline/promises';
import { JudgeCalibrate, JudgeRevertCalibration } from '../../protocol';
import { printJson, withClient, type CliContext } from '../context';
import { judgeParams, showProgress } from '../judgeParams';
import { calibrateText } from '../judgeText';

export async function judgeCalibrate(ctx: CliContext): Promise<number> {
  if (ctx.flags.revert) return revert(ctx);
  const params = judgeParams(ctx);
  const yes = ctx.flags.yes === true;
  return withClient(ctx, async (c) => {
    const done = showProgress(ctx, c, params.progressToken);
    let preview;
    try {
      preview = await c.request(JudgeCalibrate, { ...params, apply: false });
    } finally {
      done();
    }
    if (!ctx.json) ctx.out.write(calibrateText(preview));
    if (!preview.changes) {
      if (ctx.json) printJson(ctx, preview);
      else ctx.out.write('\nnothing to calibrate: no criterion agrees with these labels better than chance; nothing was written\n');
      return 0;
    }
    const confirmed = yes || (!ctx.json && (await ask(ctx, '\nWrite this calibration and use it for new verdicts? [y/N] ')));
    if (!confirmed) {
      if (ctx.json) printJson(ctx, preview);
      else ctx.out.write(process.stdin.isTTY ? 'not written\n' : '\nnot written: confirm with --yes (stdin is not a terminal)\n');
      return 0;
    }
    // Apply exactly what was shown: the daemon refuses when the labels changed in between.
    const applied = await c.request(JudgeCalibrate, { ...params, apply: true, expect: preview.id });
    if (ctx.json) printJson(ctx, applied);
    else {
      ctx.out.write(
        `calibration ${applied.version} written and in use (judge version ${applied.judge.version}).\n` +
          'Samples judged before keep their scores until they are judged again; undo with "finetune judge calibrate --revert".\n',
      );
    }
    return 0;
  });
}

async function revert(ctx: CliContext): Promise<number> {
  const r = await withClient(ctx, (c) => c.request(JudgeRevertCalibration, {}));
  if (ctx.json) printJson(ctx, r);
  else ctx.out.write(`reverted ${r.reverted}; the judge now uses ${r.current ? `calibration ${r.current}` : 'its shipped calibration'} (judge version ${r.judge.version})\n`);
  return 0;
}

async function ask(ctx: CliContext, question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: ctx.out });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
