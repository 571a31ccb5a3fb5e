// Fine-tune: Promote Model Version (finetune.models.promote): makes a landed version current by
// hand (the gate is not consulted); from a Model versions item, a notification, or a quick pick.
import * as vscode from 'vscode';
import { ModelsList, ModelsPromote, type ModelVersion } from '../../daemon/protocol';
import { describeComparison, headlineMetric } from '../views/metrics';
import { versionStatus } from '../views/modelItems';
import { shortTime } from '../format';
import { modelVersionOf } from './args';
import type { Command, CommandContext } from './types';

export const modelsPromote: Command = {
  id: 'finetune.models.promote',
  title: 'Promote Model Version',
  needsDaemon: true,
  run: async (ctx, arg) => {
    const version = modelVersionOf(arg) ?? (await pickVersion(ctx, 'Promote which model version to current?', (v) => !v.current));
    if (!version) return;
    if (version.current) {
      void vscode.window.showInformationMessage(`Fine-tune: ${version.version} is already the current model version.`);
      return;
    }
    const promoted = await ctx.api.request(ModelsPromote, { version: version.version });
    void vscode.window.showInformationMessage(`Fine-tune: ${promoted.version} is now the current model version.`);
    ctx.trees.models.refresh();
    return promoted;
  },
};

/** A quick pick of landed versions (newest first); undefined when cancelled or there are none. */
export async function pickVersion(ctx: CommandContext, placeHolder: string, filter: (v: ModelVersion) => boolean = () => true): Promise<ModelVersion | undefined> {
  const versions = (await ctx.api.request(ModelsList, {})).filter(filter);
  if (!versions.length) {
    void vscode.window.showInformationMessage('Fine-tune: there is no model version to choose from yet.');
    return undefined;
  }
  const items = versions.map((v) => {
    const head = headlineMetric(v.metrics);
    return {
      label: v.version,
      description: [versionStatus(v), v.modelName].filter(Boolean).join(' · '),
      detail: [head ? describeComparison(head) : undefined, v.createdAt ? `landed ${shortTime(v.createdAt)} UTC` : undefined, v.runId].filter(Boolean).join(' · '),
      version: v,
    };
  });
  const pick = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true, matchOnDetail: true });
  return pick?.version;
}
