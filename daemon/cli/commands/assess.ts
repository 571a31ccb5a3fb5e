import { DatasetsAssess } from '../../protocol';
import { printJson, type CliContext } from '../context';
import { fileRequest } from '../fileRequest';

export async function assess(ctx: CliContext): Promise<number> {
  const r = await fileRequest(ctx, 'assess', DatasetsAssess);
  for (const l of r.lines) {
    if (ctx.json) {
      printJson(ctx, l.assessment
        ? { line: l.line, id: l.id, scores: l.assessment.scores, average: l.assessment.average, verdict: l.assessment.verdict, rejectedBy: l.assessment.rejectedBy, rationale: l.assessment.rationale }
        : { line: l.line, error: l.error });
    } else if (l.assessment) {
      const scores = Object.entries(l.assessment.scores).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
      const why = l.assessment.rejectedBy ? ` by ${l.assessment.rejectedBy}` : '';
      ctx.out.write(`${r.path}:${l.line}: ${l.assessment.verdict}${why} (average ${l.assessment.average.toFixed(2)}: ${scores})\n`);
    } else ctx.out.write(`${r.path}:${l.line}: error: ${l.error}\n`);
  }
  return 0;
}
