// Reject Sample (finetune.sample.reject): never train on this sample whatever the judge said.
import { annotate } from './annotate';
import { targetFromArgOrEditor } from './sampleTarget';
import type { Command } from './types';

export const sampleReject: Command = {
  id: 'finetune.sample.reject',
  title: 'Reject Sample',
  needsDaemon: true,
  run: (ctx, arg) => annotate(ctx, targetFromArgOrEditor(arg), 'reject'),
};
