// Fine-tune: Assess Current File (finetune.datasets.assess): datasets/assess on the active
// JSONL file (or the file of an explorer item), with progress and cancellation.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { DatasetsAssess } from '../../daemon/protocol';
import { plural } from '../format';
import { relativeInside } from './args';
import type { Command } from './types';

export const datasetsAssess: Command = {
  id: 'finetune.datasets.assess',
  title: 'Assess Current File',
  needsDaemon: true,
  run: async (ctx, arg) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('Fine-tune: open a JSONL file to assess it.');
      return;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const rel = uri.scheme === 'file' ? relativeInside(ctx.folder.uri.fsPath, uri.fsPath) : undefined;
    const name = rel ?? uri.path.split('/').pop() ?? 'untitled';
    const token = `vscode-assess-${randomUUID()}`;
    // A saved workspace file is read by the daemon from disk (no size limit); anything else is sent.
    const source = rel && !open?.isDirty ? { path: rel, progressToken: token } : { name, content: open?.getText() ?? (await vscode.workspace.fs.readFile(uri)).toString(), progressToken: token };
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Fine-tune: assessing ${name}`, cancellable: true },
      async (progress, cancel) => {
        let done = 0;
        const sub = ctx.api.onProgress(token, (v) => {
          const fraction = Math.max(0, Math.min(1, v.fraction));
          progress.report({ increment: Math.max(0, fraction * 100 - done), message: v.message });
          done = Math.max(done, fraction * 100);
        });
        try {
          return await ctx.api.request(DatasetsAssess, source, cancel);
        } finally {
          sub.dispose();
        }
      },
    );
    let accepted = 0;
    let rejected = 0;
    let errors = 0;
    for (const l of result.lines) {
      if (l.error !== undefined) errors++;
      else if (l.assessment?.verdict === 'accepted') accepted++;
      else if (l.assessment) rejected++;
    }
    const message = `Fine-tune: assessed ${plural(result.lines.length, 'line')} of ${result.path}: ${accepted} high-quality, ${rejected} rejected${errors ? `, ${plural(errors, 'line')} not judged` : ''}.`;
    void (errors ? vscode.window.showWarningMessage(message, 'Show Logs') : vscode.window.showInformationMessage(message)).then((pick) => {
      if (pick === 'Show Logs') ctx.output.show(true);
    });
    ctx.trees.datasets.refresh(rel);
    return result;
  },
};
