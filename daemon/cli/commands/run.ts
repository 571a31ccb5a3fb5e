import { randomUUID } from 'node:crypto';
import { RunsDidFinish, RunsDidProgress, RunsStart, type RunSummary } from '../../protocol';
import { DomainError } from '../../errors/DomainError';
import { printJson, withClient, type CliContext } from '../context';
import { progressBar } from '../progressBar';
import { describeRun } from './runs';

export async function run(ctx: CliContext): Promise<number> {
  const wait = ctx.flags.wait === true;
  const bar = progressBar(ctx.err, !ctx.json);
  const finished = await withClient(ctx, async (c) => {
    let resolveDone!: (r: RunSummary) => void;
    let rejectDone!: (e: Error) => void;
    const done = new Promise<RunSummary>((resolve, reject) => ((resolveDone = resolve), (rejectDone = reject)));
    let runId = '';
    // Subscribe before starting, so a fast run's end is not missed.
    c.on(RunsDidFinish, (r) => r.id === runId && resolveDone(r));
    // A daemon that goes away mid-wait must not leave us waiting (or exiting 0 with nothing said).
    c.onClose(() =>
      rejectDone(
        new DomainError(
          'daemon-gone',
          `the daemon closed the connection while run ${runId || '(starting)'} was going`,
          'the run continues if the trainer is alive: see "finetune runs" once the daemon is back (finetune daemon --detach)',
        ),
      ),
    );
    c.on(RunsDidProgress, (p) => p.id === runId && bar.update(p.progress.totalSteps ? p.progress.step / p.progress.totalSteps : 0, `step ${p.progress.step}/${p.progress.totalSteps}${p.progress.loss !== undefined ? ` loss ${p.progress.loss.toFixed(4)}` : ''}`));
    const started = await c.request(RunsStart, { force: ctx.flags.force === true, idempotencyKey: randomUUID() });
    runId = started.id;
    if (!ctx.json) ctx.err.write(`run ${started.id} queued on ${started.snapshot.count} samples (snapshot ${started.snapshot.hash.slice(0, 12)})\n`);
    return wait ? done : started;
  });
  bar.done();
  if (ctx.json) printJson(ctx, { ...finished, ...(finished.error ? { error: finished.error.message, ...(finished.error.hint ? { hint: finished.error.hint } : {}) } : {}) });
  else ctx.out.write(describeRun(finished) + '\n');
  return finished.status === 'failed' ? 1 : 0;
}
