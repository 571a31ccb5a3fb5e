// The hash an image built from docker/ carries as the label `flywheel.source-hash`, so a stale
// image is recognised. Same algorithm as scripts/docker-image.sh (`source_hash`): one line per file
// of the build context, sorted by path — "<sha256>  <path>", or "wheel  <path>" for wheels (their
// file name pins their content) — then "base <base image id>" and "reuse-base-torch 1"; sha256 of
// the whole, first 32 hex digits. Python caches are left out.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SOURCE_HASH_LABEL = 'flywheel.source-hash';
const SKIP_DIRS = new Set(['__pycache__', '.pytest_cache']);

/** Files of the build context, relative, with "/" separators, sorted byte-wise. */
export function contextFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(child);
      } else if (entry.isFile() && !entry.name.endsWith('.pyc')) {
        out.push(child);
      }
    }
  };
  walk('');
  return out.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export function sourceHash(dir: string, baseImageId: string, reuseBaseTorch = '1'): string {
  const all = createHash('sha256');
  for (const file of contextFiles(dir)) {
    const digest = file.endsWith('.whl') ? 'wheel' : createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex');
    all.update(`${digest}  ${file}\n`);
  }
  all.update(`base ${baseImageId}\nreuse-base-torch ${reuseBaseTorch}\n`);
  return all.digest('hex').slice(0, 32);
}
