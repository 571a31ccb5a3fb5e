// Issue 12's targets at scale: the real daemon on an empty workspace (the baseline, same run) and
// on one holding SCALE_SAMPLES (default 1,000,000) accepted samples, and ingest's time outside the
// judge on INGEST_SAMPLES (default 100,000). Prints each target with its measured value and
// PASS/FAIL; a benchmark, so nothing here fails the test suite.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DaemonClient } from '../../daemon/client/DaemonClient';
import { DatasetsAnnotations, SamplesList, SamplesSubmit, StatusGet } from '../../daemon/protocol';
import { startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { benchIngest } from './ingest';
import { judgedPool, scaledSample, writeAcceptedSamples } from './scaleWorkspace';

const CONFIG = 'finetuning:\n  enabled: false\n';
const DATASET = 'data/finetuning_dataset.jsonl';

interface Measured {
  startMs: number;
  submit: { p50: number; p99: number };
  statusMs: number;
  pageMs: number;
  firstAnnotationsMs: number;
  annotationsMs: number;
  rssMb: number;
  filtered: { firstMs: number; laterMs: number };
}

export async function benchScale(count = Number(process.env.SCALE_SAMPLES ?? 1_000_000), ingestCount = Number(process.env.INGEST_SAMPLES ?? 100_000)): Promise<string> {
  const pool = await judgedPool(2000);
  const rows: string[] = [];
  const row = (target: string, value: string, pass: boolean) => {
    rows.push(`| ${target} | ${value} | ${pass ? 'PASS' : 'FAIL'} |`);
    process.stderr.write(`scale: ${rows[rows.length - 1]}\n`); // progress: the whole bench takes minutes
  };

  const empty = makeWorkspace(CONFIG);
  let base: Measured;
  try {
    base = await measure(empty, pool, count + 10_000_000, 0);
  } finally {
    empty.remove();
  }

  const ws = makeWorkspace(CONFIG);
  try {
    const t0 = performance.now();
    await writeAcceptedSamples(ws, pool, 0, count);
    const writeS = (performance.now() - t0) / 1000;
    const bytes = fs.statSync(path.join(ws.dir, DATASET)).size;
    process.stderr.write(`scale: wrote ${count} samples in ${writeS.toFixed(0)} s; empty workspace: ${JSON.stringify(base)}\n`);
    const cold = await measure(ws, pool, count, count);
    process.stderr.write(`scale: at ${count}: ${JSON.stringify(cold)}\n`);
    // Nothing changed on disk since the daemon stopped (the submits above are its own).
    const warm = await startTimed(ws);
    const editMs = await outsideEdit(warm.daemon, ws, pool, count + 20_000_000, count + 300);
    const warmRssMb = rssOf(warm.daemon);
    await warm.daemon.stop();

    const ratio = (a: number, b: number) => (b > 0 ? a / b : Infinity);
    const n = count.toLocaleString('en');
    row(`submit p50 at ${n} within 1.5x of empty (${base.submit.p50.toFixed(2)} ms)`, `${cold.submit.p50.toFixed(2)} ms (${ratio(cold.submit.p50, base.submit.p50).toFixed(2)}x)`, cold.submit.p50 <= 1.5 * base.submit.p50);
    row(`submit p99 at ${n} < 20 ms`, `${cold.submit.p99.toFixed(2)} ms`, cold.submit.p99 < 20);
    row(`status/get (counts, samples to threshold) at ${n} within 1.5x of empty (${base.statusMs.toFixed(2)} ms)`, `${cold.statusMs.toFixed(2)} ms (${ratio(cold.statusMs, base.statusMs).toFixed(2)}x)`, cold.statusMs <= 1.5 * base.statusMs);
    row(`a page of 100 samples (samples/list) at ${n} < 10 ms`, `${cold.pageMs.toFixed(2)} ms`, cold.pageMs < 10);
    row(`annotations of a 60-line visible range at ${n} < 10 ms (first call: ${cold.firstAnnotationsMs.toFixed(0)} ms)`, `${cold.annotationsMs.toFixed(2)} ms`, cold.annotationsMs < 10);
    row(`start-up at ${n}, nothing changed on disk, < 2 s (first start: ${(cold.startMs / 1000).toFixed(2)} s)`, `${(warm.startMs / 1000).toFixed(2)} s`, warm.startMs < 2000);
    row(`re-index after a 1-line outside edit < 5% of a full index (first start, ${(cold.startMs / 1000).toFixed(2)} s)`, `${editMs.toFixed(0)} ms (${((100 * editMs) / cold.startMs).toFixed(1)}%)`, editMs < 0.05 * cold.startMs);
    // The larger of: after the first start (which read every file) and its requests, and after a start from state.db and an outside edit.
    const rssMb = Math.max(cold.rssMb, warmRssMb);
    row(`daemon RSS at ${n} < 400 MB (empty: ${base.rssMb.toFixed(0)} MB)`, `${rssMb.toFixed(0)} MB (first start ${cold.rssMb.toFixed(0)} MB, start from state.db ${warmRssMb.toFixed(0)} MB)`, rssMb < 400);
    rows.push(`| (no target) explorer filter at ${n}: high-quality, sorted by consistency, a page of 100 | first ${cold.filtered.firstMs.toFixed(0)} ms, later ${cold.filtered.laterMs.toFixed(0)} ms | - |`);
    const ingest = await benchIngest(ingestCount);
    row(`ingest of ${ingestCount.toLocaleString('en')}: time outside the judge < 10% of the judge's own`, `${(ingest.overhead * 100).toFixed(1)}%`, ingest.overhead < 0.1);
    return [
      `## Scale: ${n} samples (${(bytes / 1e9).toFixed(2)} GB dataset, written in ${writeS.toFixed(0)} s), against an empty workspace in the same run`,
      '| target | measured | result |',
      '|---|---|---|',
      ...rows,
      '',
      ingest.text,
    ].join('\n');
  } finally {
    ws.remove();
  }
}

async function startTimed(ws: TestWorkspace): Promise<{ daemon: DaemonProcess; startMs: number }> {
  const t = performance.now();
  const daemon = await startDaemonProcess(ws, 600_000);
  return { daemon, startMs: performance.now() - t };
}

/** Starts the daemon, measures, stops it. Submitted samples are numbered from `fresh`. */
async function measure(ws: TestWorkspace, pool: { input: string; output: string }[], fresh: number, total: number): Promise<Measured> {
  const { daemon, startMs } = await startTimed(ws);
  const c = await daemon.connect();
  try {
    for (let i = 0; i < 20; i++) await c.request(StatusGet, {}); // warm-up
    const status = await timesOf(200, () => c.request(StatusGet, {}));
    const submits = await timesOf(300, (i) => c.request(SamplesSubmit, { sample: scaledSample(pool, fresh + i) }));
    const size = total + 300;
    const pages = await timesOf(30, (i) => c.request(SamplesList, { offset: Math.floor((i * size) / 30), limit: 100 }));
    const firstAnnotationsMs = (await timesOf(1, () => c.request(DatasetsAnnotations, { path: DATASET, fromLine: 1, toLine: 60 }))).p50;
    const annotations = await timesOf(30, (i) => {
      const from = 1 + Math.floor((i * size) / 30);
      return c.request(DatasetsAnnotations, { path: DATASET, fromLine: from, toLine: from + 59 });
    });
    const rssMb = rssOf(daemon);
    // The explorer's filter (no target in the issue): the first call reads the file's ids.
    const filter = { verdict: 'accepted' as const, sortBy: 'consistency' };
    const first = await timesOf(1, () => c.request(SamplesList, { path: DATASET, offset: 0, limit: 100, filter }));
    const later = await timesOf(5, (i) => c.request(SamplesList, { path: DATASET, offset: i * 1000, limit: 100, filter }));
    return { startMs, submit: submits, statusMs: status.p50, pageMs: pages.p50, firstAnnotationsMs, annotationsMs: annotations.p50, rssMb, filtered: { firstMs: first.p50, laterMs: later.p50 } };
  } finally {
    c.close();
    await daemon.stop();
  }
}

/** Appends one sample line as an editor would; returns the time until status counts it. */
async function outsideEdit(daemon: DaemonProcess, ws: TestWorkspace, pool: { input: string; output: string }[], n: number, before: number): Promise<number> {
  const c: DaemonClient = await daemon.connect();
  try {
    const t = performance.now();
    fs.appendFileSync(path.join(ws.dir, DATASET), `${JSON.stringify(scaledSample(pool, n))}\n`);
    for (;;) {
      const s = await c.request(StatusGet, {});
      if (s.datasetSamples > before && s.collected > before) return performance.now() - t;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    c.close();
  }
}

async function timesOf(n: number, call: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { p50: q(0.5), p99: q(0.99) };
}

function rssOf(daemon: DaemonProcess): number {
  const kb = fs.readFileSync(`/proc/${daemon.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}
