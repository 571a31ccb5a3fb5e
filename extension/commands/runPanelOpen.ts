// Fine-tune: Open Run Panel (finetune.runPanel.open). Works while the daemon is down: the
// panel says it is disconnected and fills in once connected.
import type { Command } from './types';

export const runPanelOpen: Command = {
  id: 'finetune.runPanel.open',
  title: 'Open Run Panel',
  needsDaemon: false,
  run: (ctx) => ctx.runPanel.show(),
};
