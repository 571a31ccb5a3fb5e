// The store's public surface: the only code that writes under data/.
export { appendDurable, AtomicFile, fsyncDir, writeFileAtomic } from './atomicWrite';
export { AppendLog, nodeIO, type AppendIO, type AppendLogOptions, type AppendLogState, type SchemaCheck } from './AppendLog';
export { DatasetStore, type AcceptedRecord, type AppendResult, type DatasetEntry, type DatasetStoreOptions } from './DatasetStore';
export { type InvalidLine } from './DatasetIndex';
export { StoreError } from './errors';
export {
  DEFAULT_MAX_LINE_BYTES,
  parseJsonlBytes,
  parseJsonlText,
  readJsonLines,
  readJsonlFile,
  type JsonLine,
  type JsonlLine,
  type ReadOptions,
} from './jsonlLines';
export { LineIndex } from './LineIndex';
export { silentLogger, type StoreLogger } from './logger';
export { checkSample, type SampleRecord } from './sampleCheck';
export { normalizeText, sampleId } from './sampleId';
export { createSnapshot, type Snapshot } from './snapshots';
