// Ingest throughput with the heuristic judge, and how much the store and RPC add on top of the
// judge's own time (target: < 10%). Both are measured in the same run on the same samples.
import { HeuristicJudge } from '../../daemon/judge/heuristic/HeuristicJudge';
import { DatasetsIngest } from '../../daemon/protocol';
import { generateSamples } from '../../daemon/demo/generator';
import { startDaemonProcess } from '../helpers/daemonProcess';
import { jsonl } from '../helpers/samples';
import { makeWorkspace } from '../helpers/workspace';

export async function benchIngest(count = 10_000): Promise<{ text: string; overhead: number }> {
  const samples = [...generateSamples({ seed: 11, count })];
  // Baseline: the judge alone, in this process.
  const judge = new HeuristicJudge();
  const t0 = performance.now();
  for (const s of samples) await judge.judge(s, 'summarization');
  const judgeMs = performance.now() - t0;

  const ws = makeWorkspace('finetuning:\n  enabled: false\n');
  ws.write('incoming/bench.jsonl', jsonl(samples));
  const daemon = await startDaemonProcess(ws);
  const c = await daemon.connect();
  const t1 = performance.now();
  const r = await c.request(DatasetsIngest, { path: 'incoming/bench.jsonl' });
  const ingestMs = performance.now() - t1;
  c.close();
  await daemon.stop();
  ws.remove();

  const overhead = (ingestMs - judgeMs) / judgeMs;
  const text = [
    `## Ingest (${count} generated samples, heuristic judge)`,
    `| measure | value |`,
    `|---|---|`,
    `| judge alone (in-process baseline) | ${(judgeMs / 1000).toFixed(2)} s, ${Math.round(count / (judgeMs / 1000))} samples/s |`,
    `| ingest over the socket (parse, hash, judge, fsync'd store, ${r.accepted} kept) | ${(ingestMs / 1000).toFixed(2)} s, ${Math.round(count / (ingestMs / 1000))} samples/s |`,
    `| time outside the judge | ${(overhead * 100).toFixed(1)}% of the judge's own time (target < 10%) |`,
    '',
    'Stores are batched: 512 lines per group of fsyncs (group commit), and a batch is stored while the next is judged.',
  ].join('\n');
  return { text, overhead };
}
