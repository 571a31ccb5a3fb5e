// Training reads an immutable copy of the dataset, so edits and appends during a run change
// nothing. The name is the content's hash: the same samples give the same file, written once.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Sample } from '../judge/types';
import { AtomicFile } from './atomicWrite';
import { StoreError } from './errors';
import { checkSample } from './sampleCheck';

export interface Snapshot {
  /** stateDir/snapshots/<first 32 hex of hash>.jsonl, mode 0444. */
  path: string;
  /** sha256 of the file's bytes (`sha256sum` shows the same). */
  hash: string;
  count: number;
}

const FLUSH_BYTES = 1024 * 1024;

/**
 * Write the samples as `{"input","output"}` lines (other fields are left out, so the hash depends
 * only on what training sees), streaming: memory stays small for any number of samples.
 */
export async function createSnapshot(stateDir: string, samples: Iterable<Sample> | AsyncIterable<Sample>): Promise<Snapshot> {
  const dir = path.join(stateDir, 'snapshots');
  const file = await AtomicFile.create(dir, 'snapshot.jsonl');
  const hash = createHash('sha256');
  let count = 0;
  try {
    let pending: string[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      const bytes = Buffer.from(pending.join(''), 'utf8');
      hash.update(bytes);
      await file.write(bytes);
      pending = [];
      pendingBytes = 0;
    };
    for await (const sample of samples) {
      const checked = checkSample(sample);
      if (checked.error !== undefined) throw new StoreError(`sample ${count} cannot go into a snapshot: ${checked.error}.`, 'Snapshot only valid samples.', 'invalid');
      const line = `${JSON.stringify({ input: sample.input, output: sample.output })}\n`;
      pending.push(line);
      pendingBytes += line.length;
      count++;
      if (pendingBytes >= FLUSH_BYTES) await flush();
    }
    await flush();
  } catch (error) {
    await file.abort();
    throw error;
  }
  const digest = hash.digest('hex');
  const target = path.join(dir, `${digest.slice(0, 32)}.jsonl`);
  // Read-only before it gets its name; an existing file with this name has these very bytes.
  await file.commit(target, { mode: 0o444, keepExisting: true });
  return { path: target, hash: digest, count };
}
