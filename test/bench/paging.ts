// Paging samples and per-line annotations of a 100,000-line, ~100 MB JSONL file, against a
// baseline of JSON.parse on every line in the same run (target: within 2x), with peak memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DatasetsAnnotations, SamplesList } from '../../daemon/protocol';
import { startDaemonProcess } from '../helpers/daemonProcess';
import { makeWorkspace } from '../helpers/workspace';

export async function benchPaging(lines = 100_000): Promise<string> {
  const ws = makeWorkspace('finetuning:\n  enabled: false\n');
  const file = path.join(ws.dir, 'data', 'big.jsonl');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  const filler = 'lorem ipsum dolor sit amet '.repeat(36);
  for (let i = 0; i < lines; i++) fs.writeSync(fd, JSON.stringify({ input: `article ${i}: ${filler}`, output: `summary ${i}` }) + '\n');
  fs.closeSync(fd);
  const bytes = fs.statSync(file).size;

  // Baseline: read the whole file and JSON.parse every line.
  const t0 = performance.now();
  let parsed = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    JSON.parse(line);
    parsed++;
  }
  const baselineMs = performance.now() - t0;

  const daemon = await startDaemonProcess(ws);
  const c = await daemon.connect();
  const t1 = performance.now();
  await c.request(SamplesList, { path: 'data/big.jsonl', offset: 0, limit: 100 });
  const firstMs = performance.now() - t1;
  const t2 = performance.now();
  const pages = 50;
  for (let i = 0; i < pages; i++) await c.request(SamplesList, { path: 'data/big.jsonl', offset: Math.floor((i * lines) / pages), limit: 100 });
  const pageMs = (performance.now() - t2) / pages;
  const t3 = performance.now();
  for (let i = 0; i < pages; i++) await c.request(DatasetsAnnotations, { path: 'data/big.jsonl', fromLine: 1 + Math.floor((i * lines) / pages), toLine: 60 + Math.floor((i * lines) / pages) });
  const annMs = (performance.now() - t3) / pages;
  const rss = fs.readFileSync(`/proc/${daemon.proc.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1];
  c.close();
  await daemon.stop();
  ws.remove();
  return [
    `## Paging a ${lines.toLocaleString('en')}-line, ${(bytes / 1e6).toFixed(0)} MB JSONL file`,
    `| measure | value |`,
    `|---|---|`,
    `| baseline: JSON.parse of every line (${parsed} lines) | ${baselineMs.toFixed(0)} ms |`,
    `| first page (builds the line index) | ${firstMs.toFixed(0)} ms (${(firstMs / baselineMs).toFixed(2)}x the baseline; target within 2x) |`,
    `| later page of 100 samples, anywhere in the file | ${pageMs.toFixed(1)} ms |`,
    `| annotations for a 60-line visible range | ${annMs.toFixed(1)} ms |`,
    `| daemon peak resident memory | ${rss ? `${(Number(rss) / 1024).toFixed(0)} MB` : 'n/a'} (file: ${(bytes / 1e6).toFixed(0)} MB) |`,
  ].join('\n');
}
