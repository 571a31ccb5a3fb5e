// Notice changes to one file by watching its folder: an editor that saves by rename gives the
// file a new inode, which a watch on the file itself would miss. Events are debounced, since
// one save is several writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeError } from './errors';
import type { StoreLogger } from './logger';

export function watchFile(file: string, debounceMs: number, onEvent: () => void, logger: StoreLogger): { close(): void } {
  const dir = path.dirname(file);
  const base = path.basename(file);
  fs.mkdirSync(dir, { recursive: true });
  let timer: NodeJS.Timeout | undefined;
  const watcher = fs.watch(dir, (_event, filename) => {
    // Some platforms give no name: then any event in the folder may concern the file.
    if (filename && filename.toString() !== base) return;
    clearTimeout(timer);
    timer = setTimeout(onEvent, debounceMs);
  });
  const close = () => {
    clearTimeout(timer);
    watcher.close();
  };
  watcher.on('error', (error) => {
    logger.warn(`watching ${dir} failed (${describeError(error)}); outside edits to ${base} are noticed at the next append instead.`);
    close();
  });
  return { close };
}
