import { DatasetsIngest } from '../../protocol';
import { printJson, type CliContext } from '../context';
import { fileRequest } from '../fileRequest';

export async function ingest(ctx: CliContext): Promise<number> {
  const r = await fileRequest(ctx, 'ingest', DatasetsIngest);
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
