// npm run bench: every benchmark, printed as Markdown tables. Ratios compare against a baseline
// measured in the same run; nothing here is a pass/fail test.
import { benchIngest } from './ingest';
import { benchJudgeQuality } from './judgeQuality';
import { benchPaging } from './paging';
import { benchRpc } from './rpc';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const benches: [string, () => Promise<string>][] = [
    ['judge', async () => (await benchJudgeQuality()).text],
    ['ingest', () => benchIngest()],
    ['paging', () => benchPaging()],
    ['rpc', () => benchRpc()],
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
