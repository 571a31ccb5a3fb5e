// Correct Sample Output (finetune.sample.correct): asks for the corrected output (prefilled with
// the current one); the correction is what training uses.
import * as vscode from 'vscode';
import { annotate } from './annotate';
import { currentOutput, resolveId, targetFromArgOrEditor } from './sampleTarget';
import type { Command } from './types';

export const sampleCorrect: Command = {
  id: 'finetune.sample.correct',
  title: 'Correct Sample Output…',
  needsDaemon: true,
  run: async (ctx, arg) => {
    const target = targetFromArgOrEditor(arg);
    const id = await resolveId(ctx, target);
    const output = await vscode.window.showInputBox({
      title: 'Fine-tune: Correct Sample Output',
      prompt: 'The corrected output; training uses it instead of the original.',
      value: (await currentOutput(ctx, target)) ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? 'A correction needs a non-empty output.' : undefined),
    });
    if (output === undefined) return;
    return annotate(ctx, { ...target, id }, 'correct', { output });
  },
};
