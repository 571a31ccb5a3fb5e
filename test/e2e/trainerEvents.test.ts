// The trainer's events against the daemon's one schema of them (daemon/runs/runners/trainerEvents.ts):
// the real trainer (docker/finetune.py on the tiny model, through the local runner the daemon uses)
// succeeds, fails, is refused its arguments and is cancelled, and every line it prints on stdout
// must be an event of the schema — strictly, so a new field fails here until it is described.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig, type FinetuningConfig } from '../../daemon/config';
import { projectRoot } from '../../daemon/runs/pickRunner';
import { localRunner } from '../../daemon/runs/runners/local/factory';
import { trainerEvent, type TrainerEvent } from '../../daemon/runs/runners/trainerEvents';
import type { RunExit, RunListener } from '../../daemon/runs/runners/types';
import { trainerArgs } from '../../daemon/runs/trainerArgs';
import { samplesOf } from '../helpers/samples';

interface Printed {
  lines: string[];
  events: TrainerEvent[];
  exit: RunExit;
}

describe('trainer events (real trainer, tiny model)', function () {
  let dir: string;
  const seen = new Set<string>();

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-events-'));
    const samples = samplesOf('good', 40, 3).map((s) => JSON.stringify({ input: s.input, output: s.output }));
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'data', 'snapshot.jsonl'), samples.join('\n') + '\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs the trainer through the local runner; `onFirstProgress` may cancel it. */
  async function train(runId: string, settings: Partial<FinetuningConfig>, extraArgs: string[] = [], onFirstProgress?: (cancel: () => Promise<void>) => void): Promise<Printed> {
    const f: FinetuningConfig = { ...defaultConfig().finetuning, base_model: 'tiny-random-mistral', method: 'full', batch_size: 8, gradient_accumulation_steps: 1, max_length: 128, eval_split: 0.2, ...settings };
    const outputDir = path.join(dir, runId);
    fs.mkdirSync(outputDir);
    const printed: Printed = { lines: [], events: [], exit: { status: 'failed', exitCode: null } };
    const control: { cancel?: () => Promise<void> } = {};
    let progressSeen = false;
    const listener: RunListener = {
      onEvent: (e) => {
        printed.events.push(e);
        if (e.event === 'progress' && !progressSeen && onFirstProgress) {
          progressSeen = true;
          onFirstProgress(() => control.cancel!());
        }
      },
      onLog: (line, stream) => stream === 'stdout' && printed.lines.push(line),
    };
    const runner = localRunner(path.join(dir, 'state'), projectRoot());
    const handle = await runner.start(
      {
        runId,
        workspace: dir,
        dataDir: path.join(dir, 'data'),
        snapshotFile: 'snapshot.jsonl',
        outputDir,
        trainerArgs: [...trainerArgs(f, { id: runId, task: 'summarization', baseModel: f.base_model, snapshotFile: 'snapshot.jsonl', snapshotHash: 'h' }), ...extraArgs],
        env: { HF_HUB_OFFLINE: '1', OMP_NUM_THREADS: '1' },
        resources: { gpusPerNode: 'none', nodes: 1, processes: 1, strategy: 'ddp' },
      },
      listener,
    );
    control.cancel = () => handle.cancel();
    printed.exit = await handle.wait();
    runner.collect(runId);
    return printed;
  }

  /** Every stdout line is one event of the schema, and each reached the listener as that event. */
  function checkEvents(p: Printed): void {
    assert.ok(p.lines.length > 0, 'the trainer printed nothing on stdout');
    for (const [i, line] of p.lines.entries()) {
      const parsed = trainerEvent.safeParse(JSON.parse(line));
      assert.ok(parsed.success, `stdout line ${i + 1} is not an event of the schema: ${parsed.error?.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}\n${line}`);
      seen.add(parsed.data.event);
    }
    assert.equal(p.events.length, p.lines.length, 'every event line reached onEvent');
  }

  it('a run that succeeds', async () => {
    const p = await train('ok', { num_epochs: 2 });
    checkEvents(p);
    assert.equal(p.exit.status, 'succeeded', JSON.stringify(p.exit));
    const kinds = new Set<string>(p.events.map((e) => e.event));
    for (const k of ['stage', 'started', 'eval', 'progress', 'saved', 'completed']) assert.ok(kinds.has(k), `no ${k} event`);
    assert.equal(p.events.at(-1)!.event, 'completed');
  });

  it('a run that fails (no such base model)', async () => {
    const p = await train('missing-model', { base_model: '/no/such/model' });
    checkEvents(p);
    assert.equal(p.exit.status, 'failed');
    const last = p.events.at(-1)!;
    assert.equal(last.event, 'failed');
    assert.ok(last.event === 'failed' && last.hint, 'the failure says what to do');
  });

  it('a run refused its arguments', async () => {
    const p = await train('bad-args', {}, ['--task', 'poetry']);
    checkEvents(p);
    assert.equal(p.exit.status, 'failed');
    assert.deepEqual(p.events.map((e) => [e.event, e.event === 'failed' ? e.kind : '']), [['failed', 'usage']]);
  });

  it('a run cancelled mid-training', async () => {
    const p = await train('cancelled', { num_epochs: 200 }, [], (cancel) => void cancel());
    checkEvents(p);
    assert.equal(p.exit.status, 'cancelled');
    assert.equal(p.events.at(-1)!.event, 'cancelled');
  });

  it('between them, every kind of event was printed and checked', () => {
    assert.deepEqual([...seen].sort(), [...new Set(trainerEvent.options.map((o) => o.shape.event.value))].sort());
  });
});
