// Show Run Logs (finetune.runs.showLogs): a read-only document with the daemon's log entries
// about one run (a Runs item, a failed-run notification, or a quick pick).
import * as vscode from 'vscode';
import { RunsList } from '../../daemon/protocol';
import { runItem } from '../views/runItems';
import { runIdOf } from './args';
import type { Command } from './types';

export const runsShowLogs: Command = {
  id: 'finetune.runs.showLogs',
  title: 'Show Run Logs',
  needsDaemon: true,
  run: async (ctx, arg) => {
    let id = runIdOf(arg);
    if (!id) {
      const runs = await ctx.api.request(RunsList, { limit: 50 });
      if (!runs.length) {
        void vscode.window.showInformationMessage('Fine-tune: there are no runs yet.');
        return;
      }
      const pick = await vscode.window.showQuickPick(
        runs.map((r) => ({ label: r.id, description: runItem(r).description, id: r.id })),
        { placeHolder: 'Show the log of which run?' },
      );
      id = pick?.id;
    }
    if (id) await ctx.runLogs.open(id);
  },
};
