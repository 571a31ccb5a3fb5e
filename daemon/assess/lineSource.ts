// Where ingest and assess read lines from: a workspace file (streamed) or text a client sent.
import { readJsonlFile, parseJsonlBytes, parseJsonlText, type JsonlLine } from '../store/jsonlLines';
import { mustExist, relativeToWorkspace, resolveInside } from '../workspace/insideWorkspace';
import * as fs from 'node:fs';

export type SourceParams = { path: string } | { name: string; content: string } | { name: string; base64: string };

export interface LineSource {
  /** How the file is named in results and messages. */
  shown: string;
  totalBytes: number;
  lines: AsyncIterable<JsonlLine>;
}

export function openLineSource(workspace: string, params: SourceParams, maxLineBytes: number): LineSource {
  if ('path' in params) {
    const absolute = resolveInside(workspace, params.path);
    mustExist(absolute, params.path);
    return {
      shown: relativeToWorkspace(workspace, absolute),
      totalBytes: fs.statSync(absolute).size,
      lines: readJsonlFile(absolute, { maxLineBytes, limitName: 'dataset.max_line_bytes' }),
    };
  }
  const limits = { maxLineBytes, limitName: 'dataset.max_line_bytes' };
  const bytes = 'base64' in params ? Buffer.from(params.base64, 'base64') : undefined;
  const parsed = bytes ? parseJsonlBytes(bytes, limits) : parseJsonlText((params as { content: string }).content, limits);
  return {
    shown: params.name,
    totalBytes: bytes ? bytes.length : Buffer.byteLength((params as { content: string }).content),
    lines: (async function* () {
      yield* parsed;
    })(),
  };
}

/** Groups an async stream into arrays of up to `size`, so a batch is judged concurrently and stored with one fsync. */
export async function* chunks<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
