// What the registry stores about each landed model version, and the shapes it hands out.
import { z } from 'zod';

/** Metric name → value, as the trainer writes them in metrics.json ("eval_loss", "rougeL", ...). */
export type MetricTable = Record<string, number>;

export interface VersionMetrics {
  /** The base (or current) model evaluated on the run's held-out split before training. */
  before?: MetricTable;
  /** The trained model evaluated on the same held-out split. The gate reads this. */
  after?: MetricTable;
  /**
   * Optional: the version that was current when the run started (`parent`), evaluated by the
   * trainer on this run's held-out split. When present, the gate compares against it instead of
   * the number stored with the current version (which was measured on an older split).
   */
  baseline_current?: MetricTable;
  /** Anything else the trainer reported (train_loss, throughput, ...). */
  [key: string]: unknown;
}

/** `metadata.json` in each version folder. Written once, before the folder gets its final name. */
export interface VersionMetadata {
  /** "v1", "v2", ... assigned by the registry. */
  version: string;
  modelName: string;
  runId: string;
  /** As configured: an alias ("mistral-7b"), a hub id or a local path. */
  baseModel: string;
  /** What the alias resolved to ("mistralai/Mistral-7B-v0.1"), when different. */
  baseModelResolved?: string;
  task: string;
  /** The immutable dataset snapshot the run trained on. */
  dataset: { snapshot: string; hash: string; count: number };
  hyperparameters: Record<string, unknown>;
  /** The trainer image and its id, for a run in a container. */
  image?: { id: string; name: string } | null;
  /** The runner that trained it (finetuning.runner: "docker", "local", ...). */
  runner: string;
  /** Trainer processes on each node (data-parallel; batch_size × accumulation × processes × nodes per step). */
  processes?: number;
  nodes?: number;
  /** What else the runner recorded about its engine (a cluster address, a job id). */
  engine?: Record<string, unknown>;
  metrics: VersionMetrics;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  /** The version that was current when the run started (null: there was none). */
  parent: string | null;
  createdAt: string;
}

/** What `land` needs from the caller: everything but what the registry assigns. */
export type LandMetadata = Omit<VersionMetadata, 'version' | 'modelName' | 'createdAt' | 'metrics'> & {
  /** Left out: read from `<stagingDir>/metrics.json` (without its "examples"). */
  metrics?: VersionMetrics;
};

/** `<outputDir>/<modelName>/current.json`: the source of truth for which version is current. */
export interface CurrentPointer {
  version: string;
  promotedAt: string;
  reason: string;
  /** How the pointer got here; lets a restart repair history.jsonl after a crash. */
  action?: 'promote' | 'rollback';
}

/** One line of `<outputDir>/<modelName>/history.jsonl` (append-only). */
export interface HistoryEntry {
  at: string;
  action: 'promote' | 'rollback';
  /** The version that became current. */
  version: string;
  /** The version that was current before (null: none). */
  from: string | null;
  reason: string;
  /** Written on open to match current.json after a crash between the pointer and this log. */
  recovered?: boolean;
}

export type VersionStatus = 'current' | 'candidate' | 'previous';

/** A listed version. Assignable to the protocol's ModelVersion. */
export interface RegistryVersion {
  modelName: string;
  version: string;
  current: boolean;
  /** current: the pointer names it; previous: it was current once; candidate: never promoted. */
  status: VersionStatus;
  /** Absolute path of the version folder. */
  path: string;
  runId: string;
  createdAt: string;
  parent: string | null;
  metrics: VersionMetrics;
}

export interface LandResult {
  metadata: VersionMetadata;
  /** Absolute path of the version folder. */
  path: string;
  /** false: this runId had already landed (a retry); the existing version is returned. */
  created: boolean;
}

// ---------------------------------------------------------------------------------------------
// Validation

const looseTable = z.record(z.string(), z.unknown());
const nonEmpty = z.string().min(1);
const metricsSchema = z.looseObject({
  before: looseTable.optional(),
  after: looseTable.optional(),
  baseline_current: looseTable.optional(),
});

/** What `land` accepts (checked so a bad caller gets a message, not a broken metadata.json). */
export const landMetadataSchema = z.looseObject({
  runId: nonEmpty,
  baseModel: nonEmpty,
  baseModelResolved: z.string().optional(),
  task: nonEmpty,
  dataset: z.looseObject({ snapshot: z.string(), hash: z.string(), count: z.number().int().min(0) }),
  hyperparameters: looseTable,
  image: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
  runner: nonEmpty,
  metrics: metricsSchema.optional(),
  startedAt: z.string(),
  endedAt: z.string(),
  durationSeconds: z.number().min(0),
  parent: z.string().nullable(),
});

/**
 * What a readable metadata.json must have. Looser than what land writes, so a version written by
 * an older daemon (or by hand) still lists.
 */
export const storedMetadataSchema = z.looseObject({
  version: z.string(),
  modelName: z.string(),
  runId: z.string(),
  createdAt: z.string(),
  metrics: metricsSchema,
  parent: z.string().nullable().optional(),
});

export const currentPointerSchema = z.looseObject({
  version: z.string(),
  promotedAt: z.string(),
  reason: z.string(),
  action: z.enum(['promote', 'rollback']).optional(),
});

export const historyEntrySchema = z.looseObject({
  at: z.string(),
  action: z.enum(['promote', 'rollback']),
  version: z.string(),
  from: z.string().nullable(),
  reason: z.string(),
  recovered: z.boolean().optional(),
});
