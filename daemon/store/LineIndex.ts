// Random access to the lines of any JSONL file in the workspace (dataset explorer, editor
// annotations for the visible range): one streaming pass records where each line starts, then
// any range is read and parsed on its own. Indexes are cached per path and rebuilt when the
// file's (size, mtime, inode) changes.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { fingerprintOf, sameFingerprint, type Fingerprint } from './fingerprint';
import { Float64List } from './numberLists';
import { readJsonlFile, type JsonlLine, type LineLimits } from './jsonlLines';

const CACHE_LIMIT = 32;
const cache = new Map<string, LineIndex>();

export class LineIndex {
  private constructor(
    readonly path: string,
    private starts: Float64List,
    private stamp: Fingerprint,
    private readonly limits: LineLimits,
  ) {}

  /** The index of `file`, from the cache when the file is unchanged. */
  static async forFile(file: string, limits: LineLimits = {}): Promise<LineIndex> {
    const key = path.resolve(file);
    const cached = cache.get(key);
    if (cached && sameFingerprint(fingerprintOf(await fsp.stat(key)), cached.stamp) && cached.limits.maxLineBytes === limits.maxLineBytes) {
      cache.delete(key); // re-insert: most recently used last
      cache.set(key, cached);
      return cached;
    }
    const { starts, stamp } = await scan(key);
    const index = new LineIndex(key, starts, stamp, limits);
    cache.set(key, index);
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    return index;
  }

  /** Forget cached indexes (tests, or a workspace closing). */
  static clearCache(): void {
    cache.clear();
  }

  get fingerprint(): Fingerprint {
    return this.stamp;
  }

  /** Lines in the file (a final newline does not start another line). */
  get lineCount(): number {
    return this.starts.length;
  }

  /** Byte offset where 1-based `line` starts. */
  lineStart(line: number): number {
    return this.starts.get(line - 1);
  }

  /** The 1-based line holding byte `offset` (0 for an empty file). */
  lineAt(offset: number): number {
    return this.starts.floorIndex(offset) + 1;
  }

  /**
   * Lines `from`..`to` (1-based, inclusive, clamped), parsed exactly as readJsonlFile would;
   * blank lines are left out. Re-scans first if the file changed.
   */
  async readLines(from: number, to: number): Promise<JsonlLine[]> {
    const now = fingerprintOf(await fsp.stat(this.path));
    if (!sameFingerprint(now, this.stamp)) {
      ({ starts: this.starts, stamp: this.stamp } = await scan(this.path));
      cache.set(this.path, this);
    }
    const first = Math.max(1, Math.floor(from));
    const last = Math.min(this.lineCount, Math.floor(to));
    if (first > last) return [];
    const start = this.starts.get(first - 1);
    const end = last < this.lineCount ? this.starts.get(last) : this.stamp.size;
    const out: JsonlLine[] = [];
    for await (const line of readJsonlFile(this.path, { ...this.limits, start, end, firstLine: first })) out.push(line);
    return out;
  }
}

/** One pass in 1 MiB chunks; only line starts are kept (8 bytes a line). */
async function scan(file: string): Promise<{ starts: Float64List; stamp: Fingerprint }> {
  const handle = await fsp.open(file, 'r');
  try {
    for (let attempt = 1; ; attempt++) {
      const stamp = fingerprintOf(await handle.stat());
      const starts = new Float64List();
      const chunk = Buffer.allocUnsafe(1024 * 1024);
      if (stamp.size > 0) starts.push(0);
      for (let pos = 0; pos < stamp.size; ) {
        const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, stamp.size - pos), pos);
        if (bytesRead === 0) break;
        const view = chunk.subarray(0, bytesRead);
        for (let nl = view.indexOf(0x0a); nl !== -1; nl = view.indexOf(0x0a, nl + 1)) {
          if (pos + nl + 1 < stamp.size) starts.push(pos + nl + 1);
        }
        pos += bytesRead;
      }
      // Changed while scanned (a save in progress): scan again, a few times at most.
      if (sameFingerprint(fingerprintOf(await handle.stat()), stamp) || attempt >= 3) return { starts, stamp };
    }
  } finally {
    await handle.close();
  }
}
