// Fine-tune: Open Model Card (finetune.models.openCard): the README.md that lands with every
// model version, in the Markdown preview.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DaemonDownError } from '../errors';
import { modelVersionOf } from './args';
import { pickVersion } from './modelsPromote';
import type { Command } from './types';

export const modelsOpenCard: Command = {
  id: 'finetune.models.openCard',
  title: 'Open Model Card',
  // With a version at hand (an item, a notification) the card is a file: no daemon needed.
  needsDaemon: false,
  run: async (ctx, arg) => {
    let version = modelVersionOf(arg);
    if (!version) {
      if (!ctx.api.connected) throw new DaemonDownError('the daemon is not connected');
      version = await pickVersion(ctx, 'Open the model card of which version?');
    }
    if (!version) return;
    const dir = path.isAbsolute(version.path) ? version.path : path.join(ctx.folder.uri.fsPath, version.path);
    const card = vscode.Uri.file(path.join(dir, 'README.md'));
    try {
      await vscode.workspace.fs.stat(card);
    } catch {
      void vscode.window.showWarningMessage(`Fine-tune: ${version.version} has no model card (${card.fsPath} is missing).`);
      return;
    }
    try {
      await vscode.commands.executeCommand('markdown.showPreview', card);
    } catch {
      await vscode.window.showTextDocument(card, { preview: true });
    }
  },
};
