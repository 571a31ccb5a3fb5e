// Samples for tests, from the project's own seeded generator (the same one the demo uses).
import { generateSamples, type GeneratedSample } from '../../daemon/demo/generator';

export function samplesOf(kind: 'good' | 'flawed', count: number, seed = 7): GeneratedSample[] {
  const out: GeneratedSample[] = [];
  for (const s of generateSamples({ seed, count: count * 6, flawedShare: 0.5 })) {
    if ((kind === 'good') === (s.kind === 'good')) out.push(s);
    if (out.length === count) break;
  }
  if (out.length < count) throw new Error(`generator gave only ${out.length} ${kind} samples`);
  return out;
}

export function jsonl(samples: { input: string; output: string }[]): string {
  return samples.map((s) => JSON.stringify({ input: s.input, output: s.output })).join('\n') + '\n';
}
