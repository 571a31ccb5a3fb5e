// npm run bench: every benchmark, printed as Markdown tables. Ratios compare against a baseline
// measured in the same run; nothing here is a pass/fail test.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { benchIngest } from './ingest';
import { benchRunLatency } from './runLatency';
import { benchJudgeQuality } from './judgeQuality';
import { benchLlmJudge } from './llmJudge';
import { benchPaging } from './paging';
import { benchRpc } from './rpc';
import { benchFaults } from './faults';
import { benchScale } from './scale';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const benches: [string, () => Promise<string>][] = [
    ['judge', async () => (await benchJudgeQuality()).text],
    ['llm', () => benchLlmJudge()],
    ['ingest', async () => (await benchIngest()).text],
    ['scale', () => benchScale()],
    ['paging', () => benchPaging()],
    ['rpc', () => benchRpc()],
    ['latency', () => benchRunLatency()],
    ['faults', () => benchFaults()],
    ['trainer', async () => {
      const py = process.env.FINETUNE_PYTHON ?? path.resolve(__dirname, '../../.venv/bin/python');
      const r = spawnSync(py, [path.join(__dirname, 'trainer_throughput.py')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (r.status !== 0) throw new Error(`trainer_throughput.py exited with ${r.status}`);
      return r.stdout.trim();
    }],
  ];
  for (const [name, run] of benches) {
    if (only.length && !only.includes(name)) continue;
    process.stdout.write((await run()) + '\n\n');
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : err}\n`);
  process.exitCode = 1;
});
