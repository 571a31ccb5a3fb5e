import { randomUUID } from 'node:crypto';
import { DatasetsAssess, ProgressDidReport } from '../../protocol';
import { printJson, UsageError, withClient, type CliContext } from '../context';
import { progressBar } from '../progressBar';
import { sourceParams } from '../sourceParams';

export async function assess(ctx: CliContext): Promise<number> {
  const file = ctx.args[0];
  if (!file) throw new UsageError('assess needs a FILE: finetune assess samples.jsonl');
  const token = randomUUID();
  const bar = progressBar(ctx.err, !ctx.json);
  const r = await withClient(ctx, async (c) => {
    c.on(ProgressDidReport, (p) => p.token === token && bar.update(p.value.fraction, p.value.message));
    return c.request(DatasetsAssess, sourceParams(ctx.workspace, file, token));
  });
  bar.done();
  for (const l of r.lines) {
    if (ctx.json) {
      printJson(ctx, l.assessment
        ? { line: l.line, id: l.id, scores: l.assessment.scores, average: l.assessment.average, verdict: l.assessment.verdict, rationale: l.assessment.rationale }
        : { line: l.line, error: l.error });
    } else if (l.assessment) {
      const scores = Object.entries(l.assessment.scores).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
      ctx.out.write(`${r.path}:${l.line}: ${l.assessment.verdict} (average ${l.assessment.average.toFixed(2)}: ${scores})\n`);
    } else ctx.out.write(`${r.path}:${l.line}: error: ${l.error}\n`);
  }
  return 0;
}
