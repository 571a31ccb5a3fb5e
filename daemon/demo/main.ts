// npm run demo: the whole flywheel on embedded defaults, in a fresh demo workspace. Generated
// news samples (good ones and deliberately flawed ones) go through the daemon as a client
// would send them; the heuristic judge scores them, the good ones collect, the threshold
// triggers a run on the tiny built-in model, and a new model version lands.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DaemonClient, describeError } from '../client/DaemonClient';
import { ModelsDidLand, ModelsList, RunsDidChange, RunsDidFinish, RunsDidProgress, SamplesSubmit, StatusGet, LogsDidAppend, type RunSummary } from '../protocol';
import { generateSamples } from './generator';
import { demoConfig, DEMO_SEED, DEMO_SAMPLES, DEMO_THRESHOLD } from './demoConfig';
import { printReport, type DemoTally } from './report';

const root = path.resolve(__dirname, '..');

async function main(): Promise<number> {
  const workspace = path.resolve(process.env.FINETUNE_DEMO_WORKSPACE ?? path.join(root, 'demo-workspace'));
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.mkdirSync(path.join(workspace, 'config'), { recursive: true });
  fs.writeFileSync(path.join(workspace, 'config', 'models.yml'), demoConfig());
  say(`demo workspace: ${workspace} (fresh; config/models.yml: threshold ${DEMO_THRESHOLD}, base model tiny-random-mistral, heuristic judge)`);

  const daemon = spawn(process.execPath, [path.join(__dirname, 'cli.js'), 'daemon', '--workspace', workspace], { stdio: ['ignore', 'ignore', 'pipe'] });
  let daemonErr = '';
  daemon.stderr!.on('data', (d) => (daemonErr += d));
  const client = await connectWhenUp(workspace, daemon, () => daemonErr);
  say(`daemon pid ${client.hello.pid} answered; metrics at ${client.hello.metrics}`);
  try {
    return await drive(client, workspace);
  } finally {
    client.close();
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('exit', r));
  }
}

async function drive(client: DaemonClient, workspace: string): Promise<number> {
  let run: RunSummary | undefined;
  const finished = new Promise<RunSummary>((resolve) => client.on(RunsDidFinish, resolve));
  client.on(RunsDidChange, (r) => {
    if (r.status === 'queued' && !run) say(`threshold reached: run ${r.id} queued on ${r.snapshot.count} samples (snapshot ${r.snapshot.hash.slice(0, 12)})`);
    if (r.status === 'running' && run?.status !== 'running') say(`run ${r.id} started`);
    run = r;
  });
  let lastShown = -1;
  client.on(RunsDidProgress, (p) => {
    const pct = p.progress.totalSteps ? Math.floor((100 * p.progress.step) / p.progress.totalSteps) : 0;
    if (pct >= lastShown + 10 || p.progress.step === p.progress.totalSteps) {
      lastShown = pct;
      say(`training: step ${p.progress.step}/${p.progress.totalSteps} (${pct}%)${p.progress.loss !== undefined ? `, loss ${p.progress.loss.toFixed(3)}` : ''}`);
    }
  });
  client.on(LogsDidAppend, (p) => {
    for (const e of p.entries) if (['trainer.eval', 'trainer.started', 'runner.auto', 'model.promoted', 'model.candidate', 'run.failed'].includes(e.event)) say(e.message);
  });
  client.on(ModelsDidLand, (v) => say(`model version ${v.version} landed at ${v.path}${v.current ? ' and is now current' : ''}`));

  const tally: DemoTally = { judged: 0, kept: 0, rejected: {} };
  for (const s of generateSamples({ seed: DEMO_SEED, count: DEMO_SAMPLES, flawedShare: 0.35 })) {
    const r = await client.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });
    tally.judged++;
    const a = r.assessment;
    const status = await client.request(StatusGet, {});
    if (a.verdict === 'accepted') tally.kept++;
    else {
      // The rule that rejected it, and the judge's reason on that criterion (the weakest one when
      // the average decided).
      const worst = Object.entries(a.scores).sort((x, y) => x[1] - y[1])[0];
      const criterion = a.rejectedBy?.split(' ')[0] ?? '';
      const name = criterion in a.scores ? criterion : worst[0];
      tally.rejected[s.kind] = (tally.rejected[s.kind] ?? 0) + 1;
      tally.lastReason ??= {};
      tally.lastReason[s.kind] = `${a.rejectedBy ?? `${name} ${a.scores[name].toFixed(2)}`}: ${a.rationale[name]}`;
    }
    say(
      `sample ${String(tally.judged).padStart(3)}: judged ${a.average.toFixed(2)} ${a.verdict === 'accepted' ? 'kept    ' : 'rejected'} (${s.kind}${a.rejectedBy ? `; ${a.rejectedBy}` : ''})` +
        ` — ${status.remaining > 0 ? `${status.remaining} to threshold` : 'threshold reached'}`,
    );
    if (run) break;
  }
  if (!run) {
    say(`the threshold was not reached with ${DEMO_SAMPLES} samples`);
    return 1;
  }
  const done = await finished;
  const models = await client.request(ModelsList, {});
  printReport({ workspace, tally, run: done, models, metrics: client.hello.metrics, say });
  return done.status === 'succeeded' ? 0 : 1;
}

async function connectWhenUp(workspace: string, daemon: ReturnType<typeof spawn>, err: () => string): Promise<DaemonClient> {
  let exited = false;
  daemon.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`the daemon exited during start-up:\n${err()}`);
    try {
      return await DaemonClient.connect(workspace, 'demo');
    } catch {
      if (Date.now() > deadline) throw new Error(`the daemon did not answer within 60s:\n${err()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function say(line: string): void {
  process.stdout.write(`[demo] ${line}\n`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`[demo] failed: ${describeError(err)}\n`);
    process.exit(1);
  },
);
