// The shared part of Accept / Reject / Correct: samples/annotate, a short confirmation in the
// status bar, and a refresh of the dataset in the explorer.
import * as vscode from 'vscode';
import { SamplesAnnotate, type Annotation } from '../../daemon/protocol';
import type { SampleTarget } from './args';
import { resolveId, savedSample, targetPath } from './sampleTarget';
import type { CommandContext } from './types';

const done: Record<string, string> = { accept: 'accepted', reject: 'rejected', correct: 'corrected', note: 'noted' };

export async function annotate(ctx: CommandContext, t: SampleTarget, action: Annotation['action'], extra: { output?: string } = {}): Promise<Annotation> {
  const id = await resolveId(ctx, t);
  // An Accept or Reject is also a label that `finetune judge eval` measures the judge against.
  const sample = action === 'accept' || action === 'reject' ? await savedSample(ctx, t, id) : undefined;
  const a = await ctx.api.request(SamplesAnnotate, { id, action, ...extra, ...(sample ? { sample } : {}) });
  vscode.window.setStatusBarMessage(`$(check) Fine-tune: sample ${done[action]}`, 4000);
  ctx.trees.datasets.refresh(targetPath(ctx, t));
  return a;
}
