// Writes a workspace holding `count` accepted samples the way the daemon would have left it (the
// dataset, data/.flywheel/accepted.jsonl and assessments.jsonl), without judging a million samples
// one by one: a pool of demo samples is judged by the real judge once, and sample i is pool sample
// (i mod pool) with a reference number after its article (the judge's verdict stays), so every id is different and every line has
// a realistic size. Files are written in big buffered chunks.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Assessor } from '../../daemon/assess/Assessor';
import { defaultConfig, floorsFor } from '../../daemon/config';
import { createJudge } from '../../daemon/judge/createJudge';
import { generateSamples } from '../../daemon/demo/generator';
import { Metrics } from '../../daemon/metrics';
import type { Assessment } from '../../daemon/protocol';
import { silentLogger } from '../../daemon/store/logger';
import { sampleId } from '../../daemon/store/sampleId';
import type { TestWorkspace } from '../helpers/workspace';

/** Pool samples, each judged once; all kept ones are used (the dataset holds accepted samples only). */
export async function judgedPool(size: number): Promise<{ input: string; output: string; assessment: Assessment }[]> {
  const config = defaultConfig();
  const task = config.finetuning.task;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-pool-'));
  try {
    const gate = { minAverage: config.judge.min_average, floors: floorsFor(config.judge, task) };
    const assessor = await Assessor.open(scratch, createJudge(config.judge), { task, gate, criteria: [] }, new Metrics(), silentLogger);
    const pool = [];
    for (const s of generateSamples({ seed: 12, count: size, flawedShare: 0 })) {
      const a = await assessor.judgeOne(sampleId(s), s);
      if (a.verdict === 'accepted') pool.push({ input: s.input, output: s.output, assessment: a });
    }
    await assessor.close();
    return pool;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Sample `i` of the bench's dataset: unique, realistic in size. */
export function scaledSample(pool: { input: string; output: string }[], i: number): { input: string; output: string } {
  const base = pool[i % pool.length];
  return { input: `${base.input}\n\n(ref ${i})`, output: base.output };
}

/** Appends `count` accepted samples (numbered from `from`) to the workspace's dataset and journals. */
export async function writeAcceptedSamples(ws: TestWorkspace, pool: Awaited<ReturnType<typeof judgedPool>>, from: number, count: number): Promise<void> {
  const state = path.join(ws.dir, 'data', '.flywheel');
  fs.mkdirSync(state, { recursive: true });
  const files = {
    dataset: fs.openSync(path.join(ws.dir, 'data', 'finetuning_dataset.jsonl'), 'a'),
    accepted: fs.openSync(path.join(state, 'accepted.jsonl'), 'a'),
    assessments: fs.openSync(path.join(state, 'assessments.jsonl'), 'a'),
  };
  const at = new Date().toISOString();
  const chunk = { dataset: [] as string[], accepted: [] as string[], assessments: [] as string[] };
  const flush = () => {
    for (const k of ['dataset', 'accepted', 'assessments'] as const) {
      fs.writeSync(files[k], chunk[k].join(''));
      chunk[k] = [];
    }
  };
  for (let i = from; i < from + count; i++) {
    const sample = scaledSample(pool, i);
    const id = sampleId(sample);
    const line = JSON.stringify(sample);
    chunk.dataset.push(`${line}\n`);
    chunk.accepted.push(`{"id":"${id}","at":"${at}","sample":${line}}\n`);
    chunk.assessments.push(`${JSON.stringify({ ...pool[i % pool.length].assessment, id })}\n`);
    if (chunk.dataset.length === 10_000) flush();
  }
  flush();
  for (const fd of Object.values(files)) {
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
}
