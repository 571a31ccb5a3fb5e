// What a command was invoked on: a tree item, a code lens / code action argument, a
// notification's object, or nothing (then the command asks or uses the active editor). Pure.
import { modelVersion, runSummary, sampleCommandArgs, sampleRow, type ModelVersion } from '../../daemon/protocol';
import { z } from 'zod';

const runNode = z.object({ kind: z.literal('run'), run: z.object({ id: z.string() }) });
const modelNode = z.object({ kind: z.literal('version'), version: modelVersion });
const sampleNode = z.object({ kind: z.literal('sample'), dataset: z.string(), row: sampleRow });

/** A run id from a Runs item, a RunSummary, `{ id }` or a plain id. */
export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  const node = runNode.safeParse(arg);
  if (node.success) return node.data.run.id;
  const run = runSummary.safeParse(arg);
  if (run.success) return run.data.id;
  const plain = z.object({ id: z.string().min(1) }).safeParse(arg);
  return plain.success ? plain.data.id : undefined;
}

/** A model version from a Model versions item or a ModelVersion (e.g. a models/didLand payload). */
export function modelVersionOf(arg: unknown): ModelVersion | undefined {
  const node = modelNode.safeParse(arg);
  if (node.success) return node.data.version;
  const v = modelVersion.safeParse(arg);
  return v.success ? v.data : undefined;
}

export interface SampleTarget {
  id?: string;
  /** The document URI (code lenses, code actions, the active editor). */
  uri?: string;
  /** Workspace-relative path of the dataset file (Datasets items). */
  path?: string;
  /** 0-based line. */
  line?: number;
  /** The sample's output, when known (prefills a correction). */
  output?: string;
}

/** The sample a sample command is about, from a code lens/action argument or a Datasets item. */
export function sampleTargetOf(arg: unknown): SampleTarget | undefined {
  const lens = sampleCommandArgs.safeParse(arg);
  if (lens.success) return { id: lens.data.id, uri: lens.data.uri, line: lens.data.line };
  const node = sampleNode.safeParse(arg);
  if (node.success) return { id: node.data.row.id, path: node.data.dataset, line: node.data.row.line - 1, output: node.data.row.output };
  return undefined;
}

/** `file` relative to `root` with forward slashes, or undefined when it is outside. Both are absolute paths. */
export function relativeInside(root: string, file: string): string | undefined {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const r = norm(root);
  const f = norm(file);
  return f.startsWith(`${r}/`) ? f.slice(r.length + 1) : undefined;
}
