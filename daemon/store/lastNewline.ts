// Where the last complete line of a file ends: what a failed append may have left after it is a
// fragment, never a record.
import { promises as fsp } from 'node:fs';

/** Offset just after the last "\n" in the file (0 when there is none), reading backwards. */
export async function lastNewlineEnd(file: string, size: number): Promise<number> {
  const handle = await fsp.open(file, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const at = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at !== -1) return start + at + 1;
      end = start;
    }
    return 0;
  } finally {
    await handle.close();
  }
}
