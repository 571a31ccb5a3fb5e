// Finds the text of samples by id in JSONL files (the training dataset, the workspace's dataset
// files): for labels made before their text was kept, or by a client that did not send it.
import type { Sample } from '../judge/types';
import { readJsonlFile } from '../store/jsonlLines';

export async function findSamples(files: readonly string[], ids: ReadonlySet<string>, maxLineBytes: number): Promise<Map<string, Sample>> {
  const found = new Map<string, Sample>();
  for (const file of files) {
    if (found.size === ids.size) break;
    try {
      for await (const l of readJsonlFile(file, { maxLineBytes })) {
        if (l.id && l.sample && ids.has(l.id) && !found.has(l.id)) found.set(l.id, { input: l.sample.input, output: l.sample.output });
      }
    } catch {
      // A file that vanished or cannot be read holds nothing we can use; the rest still count.
    }
  }
  return found;
}
