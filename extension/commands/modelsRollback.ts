// Fine-tune: Roll Back Model Version (finetune.models.rollback): the previous current version
// becomes current again (asks first).
import * as vscode from 'vscode';
import { ModelsRollback } from '../../daemon/protocol';
import type { Command } from './types';

export const modelsRollback: Command = {
  id: 'finetune.models.rollback',
  title: 'Roll Back Model Version',
  needsDaemon: true,
  run: async (ctx) => {
    const current = ctx.state.status?.currentModel?.version;
    const ok = await vscode.window.showWarningMessage(
      `Fine-tune: roll back${current ? ` from ${current}` : ''} to the previous model version?`,
      { modal: true, detail: 'The previous current version becomes current again; no version is deleted.' },
      'Roll Back',
    );
    if (ok !== 'Roll Back') return;
    const v = await ctx.api.request(ModelsRollback, {});
    void vscode.window.showInformationMessage(`Fine-tune: ${v.version} is the current model version again.`);
    ctx.trees.models.refresh();
    return v;
  },
};
