// Run latency with the real daemon process and the local runner: how long from `runs/start`
// returning (the run queued) to the first training step (`runs/didProgress`), and from the run's
// last progress notification to `models/didLand` (landing + gate + promotion to current).
// Baseline in the same run: bare Python start-up and import times, so the reader sees how much of
// queued → first step is the interpreter loading torch/transformers.
//
//   npx tsx test/bench/runLatency.ts        (builds dist/ first; or `npm run bench` via run.ts)
//
// Not a pass/fail test. Each run gets a fresh workspace and daemon (so every run lands v1 with no
// current version: the gate always promotes), the same 20 generated samples and the config below.
//
// Where each time point comes from (one clock: same machine, epoch milliseconds):
//   client   the bench's own Date.now() when a response / notification arrives
//   daemon   `time` of log entries received through `logs/didAppend` (run.start, trainer.*,
//            model.promoted); trainer.* entries are written when the daemon reads the trainer's
//            output (a 200 ms file poll), so they trail the trainer's own clock
//   trainer  `time` of the trainer's own JSON events (stage names included), copied while the run
//            goes from the local runner's data/.flywheel/local-runs/<run>/stdout.log (the runner
//            removes that folder when the run ends), plus the mtimes of that folder's `pid` file
//            (written right after the spawn) and `exit-code` file (written when Python has exited)
// Segments are differences of consecutive points of one chain, so they add up to the total.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LogsDidAppend, ModelsDidLand, RunsDidFinish, RunsDidProgress, RunsStart, SamplesSubmit, type LogEntry, type RunSummary } from '../../daemon/protocol';
import { CLI, startDaemonProcess } from '../helpers/daemonProcess';
import { samplesOf } from '../helpers/samples';
import { makeWorkspace } from '../helpers/workspace';

const REPO = path.resolve(__dirname, '../..');
const PYTHON = process.env.FINETUNE_PYTHON ?? path.join(REPO, '.venv', 'bin', 'python');
const SAMPLES = 20;
const CONFIG = `
finetuning:
  enabled: false
  threshold: 1000
  runner: local
  base_model: tiny-random-mistral
  method: full
  batch_size: 8
  gradient_accumulation_steps: 1
  learning_rate: 2e-3
  num_epochs: 2
  max_length: 256
  eval_split: 0.2
`;

interface TrainerEvent {
  event: string;
  time: number; // Unix seconds, ms precision
  stage?: string;
  phase?: string;
}

interface RunTimes {
  first: number[]; // ms per FIRST_SEGMENTS entry
  last: number[]; // ms per LAST_SEGMENTS entry
  firstTotal: number;
  lastTotal: number;
  runStartVsReturned: number; // run.start log entry − runs/start returned (negative: before)
  tailLagMs: number[]; // trainer event → the daemon's log entry for it
  steps: number;
  startRoundTrip: number;
}

const FIRST_SEGMENTS = [
  'daemon dispatch: runs/start returned → trainer spawned (pid file written)',
  'Python start + imports: spawned → first trainer event (stage loading_data)',
  'data load + split: loading_data → loading_model',
  'tiny model build + load, encode, Trainer set-up: loading_model → started',
  'eval before training (held-out loss + generations): started → stage training',
  'first step (Trainer start, step 1, log): stage training → progress step 1',
  'delivery: progress event → runs/didProgress at the client (200 ms file poll + RPC)',
];
const LAST_SEGMENTS = [
  'final checkpoint + eval after: last runs/didProgress → eval after (minus that notification\'s delivery lag, so it can be < 0)',
  'save model + metrics + card: eval after → saved',
  'saved → completed',
  'Python exit: completed → process gone (exit-code file written)',
  'daemon: exit noticed (200 ms poll) + landing + gate + promote: → model.promoted logged',
  'notify: model.promoted logged → models/didLand at the client',
];

/** One `python -c CODE; print(time.time())`: ms until the code has run (as the trainer's first event would see it) and until the process has exited. */
function timePython(code: string, env: NodeJS.ProcessEnv, cwd: string): { ready: number; exited: number } {
  const t = Date.now();
  const r = spawnSync(PYTHON, ['-c', `${code}\nimport sys, time\nsys.stdout.write(repr(time.time()))`], { env, cwd, encoding: 'utf8' });
  const exited = Date.now() - t;
  if (r.status !== 0) throw new Error(`python -c ${JSON.stringify(code)} failed: ${r.stderr}`);
  return { ready: Number(r.stdout.trim()) * 1000 - t, exited };
}

interface Followed {
  stdout: string;
  spawnedAt?: number;
  exitedAt?: number;
}

/**
 * The trainer's own events (its clock) and its process start and end. The local runner keeps them
 * in <state>/local-runs/<run>/ and removes that folder when the run ends, so they are copied as
 * they appear (every 25 ms) rather than read afterwards.
 */
function followTrainer(wsDir: string): { stop(): void; get(runId: string): { events: TrainerEvent[]; spawnedAt?: number; exitedAt?: number } } {
  const dir = path.join(wsDir, 'data', '.flywheel', 'local-runs');
  const seen = new Map<string, Followed>();
  const mtime = (f: string): number | undefined => {
    try {
      return fs.statSync(f).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const poll = () => {
    let runs: string[] = [];
    try {
      runs = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const r of runs) {
      const f = seen.get(r) ?? { stdout: '' };
      seen.set(r, f);
      f.spawnedAt ??= mtime(path.join(dir, r, 'pid'));
      f.exitedAt ??= mtime(path.join(dir, r, 'exit-code'));
      try {
        const text = fs.readFileSync(path.join(dir, r, 'stdout.log'), 'utf8');
        if (text.length >= f.stdout.length) f.stdout = text;
      } catch {
        /* not there yet, or already collected */
      }
    }
  };
  const timer = setInterval(poll, 25);
  return {
    stop: () => clearInterval(timer),
    get: (runId) => {
      const f = seen.get(runId) ?? { stdout: '' };
      const events = f.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as TrainerEvent);
      return { events, spawnedAt: f.spawnedAt, exitedAt: f.exitedAt };
    },
  };
}

async function oneRun(env: NodeJS.ProcessEnv): Promise<RunTimes> {
  const ws = makeWorkspace(CONFIG);
  Object.assign(ws.env, env);
  const daemon = await startDaemonProcess(ws);
  try {
    const c = await daemon.connect('bench');
    for (const s of samplesOf('good', SAMPLES, 41)) await c.request(SamplesSubmit, { sample: { input: s.input, output: s.output } });

    const follow = followTrainer(ws.dir);
    const logs: LogEntry[] = [];
    const progress: number[] = [];
    let landedAt = 0;
    c.on(LogsDidAppend, (p) => logs.push(...p.entries));
    c.on(RunsDidProgress, () => progress.push(Date.now()));
    c.on(ModelsDidLand, () => (landedAt ||= Date.now()));
    const finished = new Promise<RunSummary>((resolve) => c.on(RunsDidFinish, resolve));

    const sent = Date.now();
    const run = await c.request(RunsStart, { force: true });
    const queued = Date.now();
    const done = await finished;
    follow.stop();
    if (done.status !== 'succeeded') throw new Error(`run ${run.id} ${done.status}: ${JSON.stringify(done.error)}\n${daemon.stderr()}`);
    // models/didLand precedes the run's end; log entries come in 100 ms batches.
    for (let i = 0; i < 40 && (!landedAt || !logs.some((e) => e.event === 'model.promoted')); i++) await new Promise((r) => setTimeout(r, 50));
    c.close();

    const { events, spawnedAt, exitedAt } = follow.get(run.id);
    const need = <T>(v: T | undefined, what: string): T => {
      if (v === undefined) throw new Error(`run ${run.id}: ${what} was not seen`);
      return v;
    };
    const at = (pred: (e: TrainerEvent) => boolean, what: string, last = false): number =>
      need((last ? [...events].reverse() : events).find(pred), `the trainer's ${what} event`).time * 1000;
    const logAt = (event: string, runOnly = true): number =>
      Date.parse(need(logs.find((x) => x.event === event && (!runOnly || x.fields?.run === run.id || x.message.includes(run.id))), `log entry ${event}`).time);

    const firstChain = [
      queued,
      need(spawnedAt, 'the trainer spawn (pid file)'),
      need(events[0], 'any trainer event').time * 1000,
      at((e) => e.event === 'stage' && e.stage === 'loading_model', 'stage loading_model'),
      at((e) => e.event === 'started', 'started'),
      at((e) => e.event === 'stage' && e.stage === 'training', 'stage training'),
      at((e) => e.event === 'progress', 'progress'),
      need(progress[0], 'runs/didProgress'),
    ];
    const lastChain = [
      progress[progress.length - 1],
      at((e) => e.event === 'eval' && e.phase === 'after', 'eval after', true),
      at((e) => e.event === 'saved', 'saved'),
      at((e) => e.event === 'completed', 'completed'),
      need(exitedAt, 'the trainer exit (exit-code file)'),
      logAt('model.promoted', false),
      need(landedAt || undefined, 'models/didLand'),
    ];
    const diffs = (chain: number[]) => chain.slice(1).map((t, i) => t - chain[i]);
    // How far the daemon's log entries trail the trainer's own clock (the runner polls its output).
    const tailLagMs: number[] = [];
    for (const name of ['started', 'saved', 'completed']) {
      const l = logs.find((x) => x.event === `trainer.${name}` && x.fields?.run === run.id);
      const e = events.find((x) => x.event === name);
      if (l && e) tailLagMs.push(Date.parse(l.time) - e.time * 1000);
    }
    return {
      first: diffs(firstChain),
      last: diffs(lastChain),
      firstTotal: firstChain[firstChain.length - 1] - firstChain[0],
      lastTotal: lastChain[lastChain.length - 1] - lastChain[0],
      runStartVsReturned: logAt('run.start') - queued,
      tailLagMs,
      steps: progress.length,
      startRoundTrip: queued - sent,
    };
  } finally {
    await daemon.stop();
    ws.remove();
  }
}

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s[s.length - 1] };
}

const ms = (x: number) => Math.round(x).toLocaleString('en-US');

function row(name: string, xs: number[], total?: number): string {
  const { median, min, max } = stats(xs);
  return `| ${name} | ${ms(median)} | ${ms(min)} | ${ms(max)} |${total === undefined ? '' : ` ${((100 * median) / total).toFixed(0)}% |`}`;
}

export async function benchRunLatency(runs = 3): Promise<string> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first (node esbuild.mjs)`);
  if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run "bash scripts/python-env.sh"`);
  // One thread count for the trainer and the baselines alike (the daemon passes its environment on).
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1', TOKENIZERS_PARALLELISM: 'false', HF_HUB_OFFLINE: '1', PYTHONUNBUFFERED: '1' };
  const trainerDir = path.join(REPO, 'docker');
  const bareCommands = [
    ['`python -c pass` (interpreter only)', 'pass'],
    ['`python -c "import torch, transformers"`', 'import torch, transformers'],
    ['`python -c "import flywheel_trainer.train"` (what finetune.py imports before its first event)', 'import flywheel_trainer.train'],
  ] as const;
  const bare = bareCommands.map(() => ({ ready: [] as number[], exited: [] as number[] }));
  const results: RunTimes[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved with the runs, so machine noise and the file cache affect both alike.
    bareCommands.forEach(([, code], k) => {
      const t = timePython(code, env, trainerDir);
      bare[k].ready.push(t.ready);
      bare[k].exited.push(t.exited);
    });
    results.push(await oneRun(env));
  }

  const col = (get: (r: RunTimes) => number) => results.map(get);
  const firstMedian = stats(col((r) => r.firstTotal)).median;
  const lastMedian = stats(col((r) => r.lastTotal)).median;
  const pyStart = stats(col((r) => r.first[1])).median;
  const pyExit = stats(col((r) => r.last[3])).median;
  const torchReady = stats(bare[1].ready).median;
  const trainerReady = stats(bare[2].ready).median;
  const lines = [
    `## Run latency (real daemon, local runner, tiny-random-mistral, method full, ${SAMPLES} samples, batch 8, 2 epochs, max_length 256, CPU, OMP_NUM_THREADS=${env.OMP_NUM_THREADS}; ${runs} runs, a fresh workspace and daemon each; all times in ms)`,
    '',
    '### runs/start returned (queued) → first training step (runs/didProgress)',
    '',
    '| segment | median | min | max | share of median total |',
    '|---|---|---|---|---|',
    ...FIRST_SEGMENTS.map((n, i) => row(n, col((r) => r.first[i]), firstMedian)),
    row('**total: queued → first runs/didProgress**', col((r) => r.firstTotal), firstMedian),
    '',
    '### Baseline, same run: bare Python (same interpreter, environment and folder; one of each before every run)',
    '',
    '| command | code done: median | min | max | process exited: median | min | max |',
    '|---|---|---|---|---|---|---|',
    ...bareCommands.map(([name], k) => {
      const a = stats(bare[k].ready);
      const b = stats(bare[k].exited);
      return `| ${name} | ${ms(a.median)} | ${ms(a.min)} | ${ms(a.max)} | ${ms(b.median)} | ${ms(b.min)} | ${ms(b.max)} |`;
    }),
    '',
    `Of the median ${ms(firstMedian)} ms from queued to first step, Python start + imports take ${ms(pyStart)} ms (${((100 * pyStart) / firstMedian).toFixed(0)}%). ` +
      `A bare \`import torch, transformers\` accounts for ${ms(torchReady)} ms of that; the trainer's own imports (\`import flywheel_trainer.train\`) for ${ms(trainerReady)} ms: ` +
      'transformers imports lazily, and the trainer pulls in TrainerCallback, which brings transformers.trainer_utils, peft and torch.distributed with it.',
    '',
    '### Last runs/didProgress → models/didLand (landing + gate + switch of current)',
    '',
    '| segment | median | min | max | share of median total |',
    '|---|---|---|---|---|',
    ...LAST_SEGMENTS.map((n, i) => row(n, col((r) => r.last[i]), lastMedian)),
    row('**total: last runs/didProgress → models/didLand**', col((r) => r.lastTotal), lastMedian),
    '',
    `Python's own exit after \`completed\` (${ms(pyExit)} ms median) compares with the bare baseline's exit after its imports: ` +
      `${ms(stats(bare[2].exited).median - trainerReady)} ms for \`import flywheel_trainer.train\`.`,
    '',
    '| also measured | median | min | max |',
    '|---|---|---|---|',
    row('runs/start round trip (snapshot + queue)', col((r) => r.startRoundTrip)),
    row('run.start logged − runs/start returned (negative: the run started before the reply arrived)', col((r) => r.runStartVsReturned)),
    row("daemon log entry after the trainer's own event (trainer.started/saved/completed)", results.flatMap((r) => r.tailLagMs)),
    `| runs/didProgress notifications per run (count) | ${stats(col((r) => r.steps)).median} | ${stats(col((r) => r.steps)).min} | ${stats(col((r) => r.steps)).max} |`,
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const built = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  benchRunLatency()
    .then((text) => process.stdout.write(text + '\n'))
    .catch((err) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : err}\n`);
      process.exitCode = 1;
    });
}
