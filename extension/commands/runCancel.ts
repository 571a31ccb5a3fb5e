// Fine-tune: Cancel Run (finetune.run.cancel): the active run, or the run of a Runs item.
import * as vscode from 'vscode';
import { RunsCancel } from '../../daemon/protocol';
import { runIdOf } from './args';
import type { Command } from './types';

export const runCancel: Command = {
  id: 'finetune.run.cancel',
  title: 'Cancel Run',
  needsDaemon: true,
  run: async (ctx, arg) => {
    const id = runIdOf(arg) ?? ctx.state.activeRun?.id;
    if (!id) {
      void vscode.window.showInformationMessage('Fine-tune: no run is active.');
      return;
    }
    const run = await ctx.api.request(RunsCancel, { id });
    void vscode.window.showInformationMessage(`Fine-tune: run ${run.id} is ${run.status}.`);
    ctx.trees.runs.refresh();
  },
};
