import { randomUUID } from 'node:crypto';
import { DatasetsIngest, ProgressDidReport } from '../../protocol';
import { printJson, UsageError, withClient, type CliContext } from '../context';
import { progressBar } from '../progressBar';
import { sourceParams } from '../sourceParams';

export async function ingest(ctx: CliContext): Promise<number> {
  const file = ctx.args[0];
  if (!file) throw new UsageError('ingest needs a FILE: finetune ingest samples.jsonl');
  const token = randomUUID();
  const bar = progressBar(ctx.err, !ctx.json);
  const r = await withClient(ctx, async (c) => {
    c.on(ProgressDidReport, (p) => p.token === token && bar.update(p.value.fraction, p.value.message));
    return c.request(DatasetsIngest, sourceParams(ctx.workspace, file, token));
  });
  bar.done();
  if (ctx.json) {
    printJson(ctx, r);
  } else {
    ctx.out.write(
      `${r.path}: ${r.lines} lines — ${r.accepted} kept, ${r.rejected} rejected by the judge, ${r.duplicates} duplicates, ${r.invalid.length} invalid${r.errors.length ? `, ${r.errors.length} not judged` : ''}\n`,
    );
    for (const i of r.invalid.slice(0, 20)) ctx.out.write(`  ${r.path}:${i.line}: ${i.error}\n`);
    if (r.invalid.length > 20) ctx.out.write(`  … and ${r.invalid.length - 20} more invalid lines (see --json)\n`);
    for (const e of r.errors.slice(0, 20)) ctx.out.write(`  ${r.path}:${e.line}: judge failed: ${e.error}\n`);
  }
  // Judge failures mean samples were not handled: say so in the exit code.
  return r.errors.length ? 1 : 0;
}
