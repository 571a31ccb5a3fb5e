// Filter Samples… (finetune.datasets.filter): which samples the Datasets view lists, and in which
// order: by verdict, your overrides only, sorted by a criterion's score (done by the daemon).
import * as vscode from 'vscode';
import { describeFilter, filterChoices } from '../views/sampleFilterChoices';
import type { Command } from './types';

export const datasetsFilter: Command = {
  id: 'finetune.datasets.filter',
  title: 'Filter Samples…',
  needsDaemon: true,
  run: async (ctx) => {
    const tree = ctx.trees.datasets;
    const picked = await vscode.window.showQuickPick(filterChoices(tree.filter, tree.criteria()), {
      title: 'Fine-tune: which samples to show',
      placeHolder: `now: ${describeFilter(tree.filter) ?? 'all samples, in file order'}`,
    });
    if (picked) tree.setFilter(picked.filter);
  },
};
