// finetune annotate accept|reject|correct|note FILE:LINE (or a sample id): a person's verdict on
// a sample, as the editor's Accept / Reject make it. Accept and Reject are also labels that
// `finetune judge eval` measures the judge against; the sample's text goes with them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainError } from '../../errors/DomainError';
import { JudgeCalibrations, SamplesAnnotate, annotationAction, type Annotation } from '../../protocol';
import { readJsonlFile } from '../../store/jsonlLines';
import { printJson, UsageError, withClient, type CliContext } from '../context';

const USAGE = 'finetune annotate accept|reject|correct|note FILE:LINE (or a sample id) [--output TEXT] [--note TEXT]';
const DONE: Record<Annotation['action'], string> = { accept: 'accepted', reject: 'rejected', correct: 'corrected', note: 'noted' };

interface Target {
  id: string;
  shown: string;
  sample?: { input: string; output: string };
}

export async function annotate(ctx: CliContext): Promise<number> {
  const [actionArg, targetArg] = ctx.args;
  const action = annotationAction.safeParse(actionArg);
  if (!action.success) throw new UsageError(actionArg ? `unknown annotation "${actionArg}"` : 'annotate needs what to do and which sample', USAGE);
  if (!targetArg) throw new UsageError(`annotate ${action.data} needs a sample: FILE:LINE or a sample id`, USAGE);
  const output = typeof ctx.flags.output === 'string' ? ctx.flags.output : undefined;
  const note = typeof ctx.flags.note === 'string' ? ctx.flags.note : undefined;
  if (action.data === 'correct' && !output?.trim()) throw new UsageError('a correction needs the corrected output', 'finetune annotate correct FILE:LINE --output "the better output"');
  if (action.data === 'note' && !note?.trim()) throw new UsageError('a note needs its text', 'finetune annotate note FILE:LINE --note "what to remember"');
  const target = await resolveTarget(targetArg);
  const { annotation, overrides, needed } = await withClient(ctx, async (c) => {
    const a = await c.request(SamplesAnnotate, { id: target.id, action: action.data, ...(target.sample ? { sample: target.sample } : {}), ...(output !== undefined ? { output } : {}), ...(note !== undefined ? { note } : {}) });
    const j = await c.request(JudgeCalibrations, {});
    return { annotation: a, overrides: j.overrides, needed: j.needed };
  });
  if (ctx.json) {
    printJson(ctx, { ...annotation, overrides });
    return 0;
  }
  const label = action.data === 'accept' || action.data === 'reject';
  const count = label ? `; ${overrides} label${overrides === 1 ? '' : 's'} so far${overrides < needed ? ` (${needed} needed to measure the judge with "finetune judge eval")` : ''}` : '';
  ctx.out.write(`${DONE[action.data]} ${target.shown} (sample ${target.id.slice(0, 12)})${count}\n`);
  return 0;
}

/** FILE:LINE is read here (the text goes with the label); a bare id is sent as it is. */
async function resolveTarget(arg: string): Promise<Target> {
  const m = /^(.*):(\d+)$/.exec(arg);
  if (!m) {
    if (/^[0-9a-f]{32}$/.test(arg)) return { id: arg, shown: `sample ${arg.slice(0, 12)}` };
    throw new UsageError(`"${arg}" is neither FILE:LINE nor a sample id (32 hex characters)`, USAGE);
  }
  const [, file, lineText] = m;
  const line = Number(lineText);
  const absolute = path.resolve(file);
  if (!fs.existsSync(absolute)) throw new DomainError('file-not-found', `${file}: no such file`, 'check the path; it is resolved from the current folder');
  if (!fs.statSync(absolute).isFile()) throw new DomainError('not-a-file', `${file}: is a folder, not a JSONL file`, 'name a line of a .jsonl file, e.g. data/finetuning_dataset.jsonl:12');
  let last = 0;
  for await (const l of readJsonlFile(absolute)) {
    last = l.line;
    if (l.line < line) continue;
    if (l.line > line) break;
    if (!l.sample || !l.id) throw new DomainError('usage', `${file}:${line} is not a sample: ${l.error ?? 'invalid'}`, 'name a line that holds an {"input", "output"} object');
    return { id: l.id, shown: `${file}:${line}`, sample: { input: l.sample.input, output: l.sample.output } };
  }
  throw new DomainError('usage', `${file}:${line} is ${line > last ? `past the end of the file (its last sample is on line ${last})` : 'blank'}`, 'lines are numbered from 1, as editors show them');
}
