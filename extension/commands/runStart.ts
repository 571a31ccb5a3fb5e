// Fine-tune: Run (finetune.run.start). Below the threshold the daemon refuses with the numbers:
// they are shown with 'Run Anyway', which asks again with force.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { RunsStart } from '../../daemon/protocol';
import { DaemonDownError } from '../errors';
import { OPEN_RUN_PANEL, RUN_ANYWAY, refusedOutcome, startedOutcome, type RunStartOutcome } from './runStartFlow';
import type { Command, CommandContext } from './types';

export const runStart: Command = {
  id: 'finetune.run.start',
  title: 'Run',
  needsDaemon: true,
  run: (ctx) => start(ctx, false),
};

async function start(ctx: CommandContext, force: boolean): Promise<RunStartOutcome> {
  let outcome: RunStartOutcome;
  try {
    // One key per user action: a retried request returns the same run instead of a second one.
    outcome = startedOutcome(await ctx.api.request(RunsStart, { force, idempotencyKey: `vscode-${randomUUID()}` }));
  } catch (err) {
    if (err instanceof DaemonDownError) throw err;
    outcome = refusedOutcome(err, force);
  }
  const show =
    outcome.kind === 'started' ? vscode.window.showInformationMessage : outcome.kind === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  // Not awaited: the command is done when the daemon has answered; the actions follow.
  void show(outcome.message, ...outcome.actions).then((pick) => {
    if (pick === RUN_ANYWAY) void start(ctx, true);
    else if (pick === OPEN_RUN_PANEL) ctx.runPanel.show();
  });
  if (outcome.kind === 'started') ctx.trees.runs.refresh();
  return outcome;
}
