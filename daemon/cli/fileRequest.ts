// ingest and assess both send a file (by path, or its text when it is outside the workspace)
// and draw the daemon's $/progress reports as a bar on a TTY.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ProgressDidReport, type lineSourceParams, type RequestDef } from '../protocol';
import { UsageError, withClient, type CliContext } from './context';
import { progressBar } from './progressBar';
import { sourceParams } from './sourceParams';

export async function fileRequest<R extends z.ZodType>(ctx: CliContext, command: string, def: RequestDef<typeof lineSourceParams, R>): Promise<z.output<R>> {
  const file = ctx.args[0];
  if (!file) throw new UsageError(`${command} needs a FILE`, `finetune ${command} samples.jsonl`);
  const token = randomUUID();
  const bar = progressBar(ctx.err, !ctx.json);
  try {
    return await withClient(ctx, async (c) => {
      c.on(ProgressDidReport, (p) => p.token === token && bar.update(p.value.fraction, p.value.message));
      return c.request(def, sourceParams(ctx.workspace, file, token));
    });
  } finally {
    bar.done();
  }
}
