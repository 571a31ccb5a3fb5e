// Resolves the sample a sample command is about: its argument (code lens / code action /
// Datasets item) or the line under the cursor in the active JSONL editor.
import * as vscode from 'vscode';
import { DatasetsAnnotations, SamplesList } from '../../daemon/protocol';
import { relativeInside, sampleTargetOf, type SampleTarget } from './args';
import type { CommandContext } from './types';

export class NoSampleError extends Error {}

export function targetFromArgOrEditor(arg: unknown): SampleTarget {
  const t = sampleTargetOf(arg);
  if (t) return t;
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new NoSampleError('put the cursor on a sample line of a JSONL file, or use the code lenses above each line');
  return { uri: editor.document.uri.toString(), line: editor.selection.active.line };
}

/** The workspace-relative path of the target's file, when it is in the workspace. */
export function targetPath(ctx: CommandContext, t: SampleTarget): string | undefined {
  if (t.path) return t.path;
  if (!t.uri) return undefined;
  const uri = vscode.Uri.parse(t.uri);
  return uri.scheme === 'file' ? relativeInside(ctx.folder.uri.fsPath, uri.fsPath) : undefined;
}

/** The sample id, asking the daemon for the line's id when the argument did not carry it. */
export async function resolveId(ctx: CommandContext, t: SampleTarget): Promise<string> {
  if (t.id) return t.id;
  const path = targetPath(ctx, t);
  if (!path || t.line === undefined) throw new NoSampleError('this file is not in the workspace; open a dataset file of the workspace');
  const { lines } = await ctx.api.request(DatasetsAnnotations, { path, fromLine: t.line + 1, toLine: t.line + 1 });
  const id = lines.find((l) => l.line === t.line! + 1)?.id;
  if (!id) throw new NoSampleError(`line ${t.line + 1} of ${path} is not a sample (save the file if it was just edited)`);
  return id;
}

/** The sample's current output (to prefill a correction), when it can be had. */
export async function currentOutput(ctx: CommandContext, t: SampleTarget): Promise<string | undefined> {
  if (t.output !== undefined) return t.output;
  const path = targetPath(ctx, t);
  if (!path || t.line === undefined) return undefined;
  try {
    const page = await ctx.api.request(SamplesList, { path, offset: t.line, limit: 1 });
    return page.items[0]?.output;
  } catch {
    return undefined;
  }
}

/**
 * The sample's input and output as saved on its line, when they can be had and are still the
 * sample `id` names (an unsaved edit makes another sample): sent with an Accept / Reject so the
 * label outlives later edits of the line.
 */
export async function savedSample(ctx: CommandContext, t: SampleTarget, id: string): Promise<{ input: string; output: string } | undefined> {
  const path = targetPath(ctx, t);
  if (!path || t.line === undefined) return undefined;
  try {
    const item = (await ctx.api.request(SamplesList, { path, offset: t.line, limit: 1 })).items[0];
    return item && item.id === id ? { input: item.input, output: item.output } : undefined;
  } catch {
    return undefined;
  }
}
