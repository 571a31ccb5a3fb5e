// Accept Sample (finetune.sample.accept): train on this sample whatever the judge said.
import { annotate } from './annotate';
import { targetFromArgOrEditor } from './sampleTarget';
import type { Command } from './types';

export const sampleAccept: Command = {
  id: 'finetune.sample.accept',
  title: 'Accept Sample',
  needsDaemon: true,
  run: (ctx, arg) => annotate(ctx, targetFromArgOrEditor(arg), 'accept'),
};
