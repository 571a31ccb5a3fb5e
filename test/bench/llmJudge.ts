// The openai judge against a real llama.cpp server (llama-cpp-python, the tiny random GGUF of the
// test/llm tier): samples/s and per-sample latency at the configured judge.openai.concurrency, and
// one at a time for comparison. The model is tiny, so this measures the judge and the server's own
// overhead (HTTP, prompt, grammar, logprobs), not what a real judge model costs.
import { DEFAULT_CONFIG } from '../../daemon/config';
import { OpenAIJudge } from '../../daemon/judge/openai/OpenAIJudge';
import type { Sample } from '../../daemon/judge/types';
import { generateSamples } from '../../daemon/demo/generator';
import { llmEnv } from '../llm/llmEnv';
import { LlamaServer, MODEL_ALIAS } from '../llm/LlamaServer';

interface Run {
  concurrency: number;
  perSecond: number;
  latencies: number[];
}

/** `concurrency` workers, each judging its next sample as soon as its last one is scored. */
async function measure(server: LlamaServer, samples: Sample[], concurrency: number): Promise<Run> {
  const judge = new OpenAIJudge({ baseUrl: server.baseUrl, model: MODEL_ALIAS, timeoutMs: 60_000, maxRetries: 0, concurrency, samples: 1 });
  await judge.judge(samples[0], 'summarization'); // learns the server's response_format, warms its cache
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < samples.length) {
      const s = samples[next++];
      const t = performance.now();
      await judge.judge(s, 'summarization');
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { concurrency, perSecond: samples.length / seconds, latencies: latencies.sort((a, b) => a - b) };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

export async function benchLlmJudge(count = 40): Promise<string> {
  const title = '## LLM judge against llama.cpp server';
  const env = await llmEnv();
  if (!env.ok) return `${title}\n\nskipped: ${env.reason}`;
  const server = await LlamaServer.start(env);
  try {
    const samples = [...generateSamples({ seed: 5, count })].map((s) => ({ input: s.input, output: s.output }));
    const configured = DEFAULT_CONFIG.judge.openai.concurrency;
    const runs = [await measure(server, samples, 1), await measure(server, samples, configured)];
    const sizes = samples.map((s) => s.input.length + s.output.length);
    return [
      title,
      '',
      `${count} generated news samples (${Math.min(...sizes)}–${Math.max(...sizes)} characters), judged on 4 criteria with logprob weighting by`,
      '`python -m llama_cpp.server` (llama-cpp-python, one thread) serving the tests\' tiny random Llama (2 layers,',
      `64 wide): the cost of the judge, HTTP, the prompt, the JSON grammar and logprobs, not of a real model.`,
      `judge.openai.concurrency is ${configured} by default; this server answers one request at a time.`,
      '',
      '| concurrency | samples/s | p50 | p90 | p99 |',
      '|---|---|---|---|---|',
      ...runs.map(
        (r) =>
          `| ${r.concurrency} | ${r.perSecond.toFixed(2)} | ${pct(r.latencies, 0.5).toFixed(0)} ms | ${pct(r.latencies, 0.9).toFixed(0)} ms | ${pct(r.latencies, 0.99).toFixed(0)} ms |`,
      ),
    ].join('\n');
  } finally {
    await server.stop();
  }
}
