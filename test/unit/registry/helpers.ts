// Shared fixtures for the registry tests: a temp models folder, a fake trainer output, metadata.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LandMetadata, VersionMetrics } from '../../../daemon/registry/ModelRegistry';
import type { StoreLogger } from '../../../daemon/store/logger';

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** rm -rf that also works on landed (0555) folders when not running as root. */
export function removeTree(dir: string): void {
  const unlock = (p: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(p);
    } catch {
      return;
    }
    if (!stat.isDirectory()) return;
    fs.chmodSync(p, 0o755);
    for (const name of fs.readdirSync(p)) unlock(path.join(p, name));
  };
  unlock(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** What the trainer leaves in its output folder (tiny stand-ins for weights and tokenizer). */
export function writeTrainerOutput(dir: string, metrics: VersionMetrics = { after: { eval_loss: 1.9 } }, extraFiles = 0): void {
  fs.mkdirSync(path.join(dir, 'adapter'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'adapter_model.safetensors'), Buffer.alloc(4096, 7));
  fs.writeFileSync(path.join(dir, 'adapter', 'adapter_config.json'), '{"r": 16}\n');
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{}\n');
  fs.writeFileSync(path.join(dir, 'README.md'), '# model card\n');
  fs.writeFileSync(path.join(dir, 'metrics.json'), JSON.stringify({ ...metrics, examples: [{ input: 'x', reference: 'y' }] }));
  for (let i = 0; i < extraFiles; i++) fs.writeFileSync(path.join(dir, `shard-${i}.bin`), Buffer.alloc(1024, i));
}

export function landMetadata(runId: string, overrides: Partial<LandMetadata> = {}): LandMetadata {
  return {
    runId,
    baseModel: 'mistral-7b',
    baseModelResolved: 'mistralai/Mistral-7B-v0.1',
    task: 'summarization',
    dataset: { snapshot: `data/.flywheel/snapshots/${runId}.jsonl`, hash: 'ab'.repeat(32), count: 120 },
    hyperparameters: { learning_rate: 2e-5, num_epochs: 3, method: 'lora' },
    image: { id: 'sha256:1234', name: 'fine-tuning:latest' },
    runner: 'docker',
    startedAt: '2025-01-01T10:00:00.000Z',
    endedAt: '2025-01-01T10:30:00.000Z',
    durationSeconds: 1800,
    parent: null,
    ...overrides,
  };
}

/** A logger that keeps what it was told, for assertions. */
export function memoryLogger(): StoreLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}
