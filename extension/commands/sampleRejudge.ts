// Re-judge Sample (finetune.sample.rejudge): samples/rejudge judges the sample again, ignoring
// its stored verdict (by id, or by document and line for an unsaved editor line).
import * as vscode from 'vscode';
import { SamplesRejudge } from '../../daemon/protocol';
import { metric } from '../format';
import { targetFromArgOrEditor, targetPath } from './sampleTarget';
import type { Command } from './types';

export const sampleRejudge: Command = {
  id: 'finetune.sample.rejudge',
  title: 'Re-judge Sample',
  needsDaemon: true,
  run: async (ctx, arg) => {
    const t = targetFromArgOrEditor(arg);
    const params = t.id ? { id: t.id } : t.uri && t.line !== undefined ? { uri: t.uri, line: t.line } : undefined;
    if (!params) return;
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Fine-tune: judging the sample…', cancellable: true },
      (_p, token) => ctx.api.request(SamplesRejudge, params, token),
    );
    vscode.window.setStatusBarMessage(`$(check) Fine-tune: re-judged: average ${metric(r.assessment.average)}, ${r.assessment.verdict}`, 6000);
    ctx.trees.datasets.refresh(targetPath(ctx, t));
    return r;
  },
};
