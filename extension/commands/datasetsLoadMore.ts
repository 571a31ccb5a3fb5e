// Load More Samples (finetune.datasets.loadMore): the next page of a dataset in the Datasets
// view (the "Load more…" item runs it).
import type { Command } from './types';

export const datasetsLoadMore: Command = {
  id: 'finetune.datasets.loadMore',
  title: 'Load More Samples',
  needsDaemon: true,
  run: async (ctx, dataset) => {
    if (typeof dataset === 'string') await ctx.trees.datasets.loadMore(dataset);
  },
};
