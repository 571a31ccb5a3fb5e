// Fine-tune: Show Logs (finetune.logs.show): the 'Fine-tune' output channel (the daemon's log).
import type { Command } from './types';

export const logsShow: Command = {
  id: 'finetune.logs.show',
  title: 'Show Logs',
  needsDaemon: false,
  run: (ctx) => ctx.output.show(true),
};
