// Refresh (finetune.views.refresh): asks the daemon again for every view (the views also follow
// its notifications, so this is rarely needed).
import type { Command } from './types';

export const viewsRefresh: Command = {
  id: 'finetune.views.refresh',
  title: 'Refresh',
  needsDaemon: false,
  run: (ctx) => {
    ctx.trees.datasets.refresh();
    ctx.trees.models.refresh();
    ctx.trees.runs.refresh();
  },
};
