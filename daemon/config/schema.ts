// Schema, defaults and types for config/models.yml.
//
// Every key is optional: a missing key (or a section left empty) takes the default below.
// Objects are strict, so an unknown key is an error rather than a silently ignored typo.
// Every leaf builds its own message, "expected <what>, got <found>", so errors read the same
// whichever check failed.
import { z } from 'zod';
import { CRITERIA } from '../judge/criteria';
import type { TaskType } from '../judge/types';

// ---------------------------------------------------------------------------------------------
// Messages

/** How a found value is shown in messages: strings JSON-quoted, collections by their kind. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value instanceof Date) return `a date (${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString().slice(0, 10)})`;
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

type RawIssue = { readonly input?: unknown };

/** Error map giving `expected <expected>, got <found>`. */
function expected(what: string): (issue: RawIssue) => string {
  return (issue) => `expected ${what}, got ${describeValue(issue.input)}`;
}

// ---------------------------------------------------------------------------------------------
// Leaf schemas

const NUMERIC = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * Numbers may be written as numeric strings ("2e-5", "100"): YAML 1.1 tools and some editors
 * write exponents without a dot as strings. Anything else ("many", "1e") is left for the number
 * check to reject.
 */
function coerceNumeric(value: unknown): unknown {
  if (typeof value === 'string') {
    const text = value.trim();
    if (NUMERIC.test(text)) return Number(text);
  }
  return value;
}

function integer(min: number, what: string, max = Number.MAX_SAFE_INTEGER) {
  const error = expected(what);
  return z.preprocess(coerceNumeric, z.number({ error }).int({ error }).min(min, { error }).max(max, { error }));
}
const positiveInt = () => integer(1, 'a positive integer');
const nonNegativeInt = () => integer(0, 'an integer >= 0');

interface Bounds {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}
function number(what: string, bounds: Bounds = {}) {
  const error = expected(what);
  let schema = z.number({ error });
  if (bounds.gt !== undefined) schema = schema.gt(bounds.gt, { error });
  if (bounds.gte !== undefined) schema = schema.gte(bounds.gte, { error });
  if (bounds.lt !== undefined) schema = schema.lt(bounds.lt, { error });
  if (bounds.lte !== undefined) schema = schema.lte(bounds.lte, { error });
  return z.preprocess(coerceNumeric, schema);
}

const bool = () => z.boolean({ error: expected('true or false') });

function text(what = 'a non-empty string') {
  const error = expected(what);
  return z.string({ error }).refine((s) => s.trim().length > 0, { error });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: expected(`one of ${values.join(', ')}`) });
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
function httpUrl(what = 'an http(s) URL') {
  const error = expected(what);
  return z.string({ error }).refine(isHttpUrl, { error });
}

const SIZE = /^(\d+(?:\.\d+)?)\s?([kmgtp])?(i)?(b)?$/i;
const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Bytes in a Docker-style size: a number of bytes, or "512m", "16g", "2GiB", "1.5g" (binary
 * units, like `docker run --memory`). Undefined when the value is not a size.
 */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  const match = SIZE.exec(value.trim());
  if (!match) return undefined;
  const [, amount, unit = '', binary, b] = match;
  if (binary && !b) return undefined; // "16gi"
  const bytes = Math.floor(Number(amount) * SIZE_UNITS[unit.toLowerCase()]);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}
function byteSize() {
  return z.custom<string | number>(
    (value) => (typeof value === 'string' || typeof value === 'number') && parseByteSize(value) !== undefined,
    { error: expected('a size such as "16g" or "512m", or a number of bytes') },
  );
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The NAME of an environment variable. The found value is never echoed: it may be the secret itself. */
function envVarName() {
  return z.custom<string>((value) => typeof value === 'string' && ENV_NAME.test(value), {
    error: (issue: RawIssue) =>
      typeof issue.input === 'string'
        ? 'expected the name of an environment variable that holds the key (e.g. "OPENAI_API_KEY"), ' +
          'got a value that is not a variable name (put the key in the environment, not in this file)'
        : `expected the name of an environment variable (e.g. "OPENAI_API_KEY"), got ${describeValue(issue.input)}`,
  });
}

function gpus() {
  // Each branch words its own error too: a union reports the branch whose type matched.
  const error = expected('auto, all, none or a positive number of GPUs');
  return z.union(
    [z.enum(['auto', 'all', 'none'], { error }), z.preprocess(coerceNumeric, z.number({ error }).int({ error }).min(1, { error }))],
    { error },
  );
}

/** Criterion names for one task: a non-empty list of distinct names defined in daemon/judge/criteria.ts. */
function criterionList(task: TaskType) {
  const names = CRITERIA[task].map((c) => c.name) as [string, ...string[]];
  return z
    .array(z.enum(names, { error: expected(`one of ${names.join(', ')}`) }), {
      error: expected(`a list of ${task} criteria (${names.join(', ')})`),
    })
    .min(1, { error: expected(`at least one of ${names.join(', ')}`) })
    .superRefine((list, ctx) => {
      list.forEach((name, index) => {
        if (list.indexOf(name) !== index) {
          ctx.addIssue({ code: 'custom', path: [index], input: name, message: `criterion "${name}" is listed twice` });
        }
      });
    });
}

/** A section: strict object; missing, empty (`judge:`) or null counts as `{}` so every default applies. */
function section<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const object = z.strictObject(shape, {
    error: (issue) => (issue.code === 'invalid_type' ? expected('a mapping')(issue) : undefined),
  });
  return z.preprocess((value) => (value === undefined || value === null ? {} : value), object);
}

// ---------------------------------------------------------------------------------------------
// The file

export const TASKS = ['summarization', 'classification', 'qa'] as const satisfies readonly TaskType[];
export const METHODS = ['lora', 'qlora', 'full'] as const;
/** finetuning.runner: the names in daemon/runs/runners/registry.ts, and auto. */
export const RUNNERS = ['auto', 'docker', 'local', 'ray'] as const;
export const STRATEGIES = ['ddp', 'fsdp', 'zero3'] as const;
export const JUDGE_PROVIDERS = ['heuristic', 'openai'] as const;

/** Built-in aliases for `finetuning.base_model`; entries in the file are merged over these. */
export const DEFAULT_BASE_MODELS: Readonly<Record<string, string>> = Object.freeze({
  'mistral-7b': 'mistralai/Mistral-7B-v0.1',
});

const LoraSchema = section({
  r: positiveInt().default(16),
  alpha: number('a positive number', { gt: 0 }).default(32),
  dropout: number('a number from 0 up to (not including) 1', { gte: 0, lt: 1 }).default(0.05),
});

const DockerSchema = section({
  /** Image the runner builds/uses for training runs. */
  image: text('an image name such as "fine-tuning:latest"').default('fine-tuning:latest'),
  /** The Dockerfile's FROM build arg. */
  base_image: text('an image name such as "pytorch/pytorch:2.9.1-cuda12.8-cudnn9-runtime"').default(
    'pytorch/pytorch:2.9.1-cuda12.8-cudnn9-runtime',
  ),
  /** Memory limit: Docker-style size string or bytes (see parseByteSize). */
  memory: byteSize().default('16g'),
  shm_size: byteSize().default('2g'),
  /** When GPUs are asked for but there is no NVIDIA runtime: fail (false) or run on CPU (true). */
  cpu_fallback: bool().default(false),
});

/** finetuning.ray: a Ray cluster the daemon submits runs to as jobs (runner: ray). */
const RaySchema = section({
  /** The cluster's job-submission (dashboard) URL, e.g. http://head:8265. */
  address: httpUrl('the Ray dashboard URL, such as "http://127.0.0.1:8265", or null').nullable().default(null),
  /**
   * A folder the daemon and every Ray node see at the same path (NFS, a mounted bucket): the run's
   * model is written there and copied into the workspace. Null: the cluster shares this machine's disk.
   */
  storage: text('an absolute folder path or null')
    .refine((p) => p.startsWith('/'), { error: expected('an absolute folder path or null') })
    .nullable()
    .default(null),
});

function processCount() {
  const error = expected('auto or a positive number of processes');
  return z.union([z.literal('auto', { error }), z.preprocess(coerceNumeric, z.number({ error }).int({ error }).min(1, { error }))], { error });
}

/** Data-parallel training: processes on each machine (torchrun) and how they share the model. */
const DistributedSchema = section({
  strategy: oneOf(STRATEGIES).default('ddp'),
  processes: processCount().default(1),
});

const GateSchema = section({
  metric: text('a metric name such as "eval_loss"').default('eval_loss'),
  mode: oneOf(['min', 'max']).default('min'),
  margin: number('a number >= 0', { gte: 0 }).default(0),
});

const IntegrationSchema = section({
  /** Shell command run after a version is promoted. */
  command: text('a command line or null').nullable().default(null),
  /** URL POSTed to after a version is promoted. */
  webhook: httpUrl('an http(s) URL or null').nullable().default(null),
  /** Variables the command gets besides PATH, HOME and FINETUNE_* (never the daemon's whole environment). */
  env: z
    .array(z.string({ error: expected('an environment variable name') }).regex(ENV_NAME, { error: expected('an environment variable name such as "AWS_PROFILE"') }), {
      error: expected('a list of environment variable names'),
    })
    .default([]),
});

const BaseModelsSchema = z.preprocess(
  (value) => (value === undefined || value === null ? {} : value),
  z
    .record(z.string(), text('a hub id or a local path'), { error: expected('a mapping of alias: hub id') })
    .transform((aliases) => ({ ...DEFAULT_BASE_MODELS, ...aliases })),
);

const FinetuningSchema = section({
  enabled: bool().default(true),
  threshold: positiveInt().default(100),
  base_model: text('a model alias, hub id or local path').default('mistral-7b'),
  output_dir: text('a folder path').default('models/finetuned'),
  batch_size: positiveInt().default(4),
  learning_rate: number('a positive number', { gt: 0 }).default(2e-5),
  num_epochs: number('a positive number', { gt: 0 }).default(3),
  task: oneOf(TASKS).default('summarization'),
  method: oneOf(METHODS).default('lora'),
  lora: LoraSchema,
  max_length: positiveInt().default(1024),
  eval_split: number('a number between 0 and 0.5 (exclusive)', { gt: 0, lt: 0.5 }).default(0.1),
  seed: nonNegativeInt().default(42),
  gradient_accumulation_steps: positiveInt().default(4),
  merge_adapter: bool().default(false),
  packing: bool().default(true),
  runner: oneOf(RUNNERS).default('auto'),
  gpus: gpus().default('auto'),
  distributed: DistributedSchema,
  docker: DockerSchema,
  ray: RaySchema,
  gate: GateSchema,
  integration: IntegrationSchema,
  base_models: BaseModelsSchema,
});

const CriteriaSchema = section({
  summarization: criterionList('summarization').optional(),
  classification: criterionList('classification').optional(),
  qa: criterionList('qa').optional(),
} satisfies Record<TaskType, unknown>);

const OpenAISchema = section({
  base_url: httpUrl().default('https://api.openai.com/v1'),
  model: text('a model name').default('gpt-4o-mini'),
  api_key_env: envVarName().default('OPENAI_API_KEY'),
  timeout_ms: positiveInt().default(60000),
  max_retries: nonNegativeInt().default(3),
  concurrency: positiveInt().default(4),
  samples: positiveInt().default(1),
});

const unitScore = () => number('a number from 0 to 1', { gte: 0, lte: 1 });

/** Default floors: a summary people would call unfaithful is never kept, however fluent. */
export const DEFAULT_FLOORS: Readonly<Record<string, number>> = Object.freeze({ consistency: 0.8 });

/**
 * judge.floors: `<criterion>: n` for every task that has the criterion, and `<task>: {<criterion>: n}`
 * for one task (it wins). A key left out keeps its default; 0 turns a floor off.
 */
function floorsSchema() {
  const allNames = [...new Set(TASKS.flatMap((t) => CRITERIA[t].map((c) => c.name)))];
  const global = Object.fromEntries(allNames.map((n) => [n, DEFAULT_FLOORS[n] !== undefined ? unitScore().default(DEFAULT_FLOORS[n]) : unitScore().optional()]));
  const perTask = (task: TaskType) => section(Object.fromEntries(CRITERIA[task].map((c) => [c.name, unitScore().optional()]))).optional();
  return section({ ...global, summarization: perTask('summarization'), classification: perTask('classification'), qa: perTask('qa') });
}

const JudgeSchema = section({
  provider: oneOf(JUDGE_PROVIDERS).default('heuristic'),
  /** A sample is kept when its average score is strictly above this. */
  min_average: unitScore().default(0.8),
  /** ...and each listed criterion is at least its floor. */
  floors: floorsSchema(),
  /** auto: the workspace's own calibration when one is fitted, else the judge's shipped one; none: raw scores. */
  calibration: oneOf(['auto', 'none']).default('auto'),
  criteria: CriteriaSchema,
  openai: OpenAISchema,
});

const DatasetSchema = section({
  path: text('a file path').default('data/finetuning_dataset.jsonl'),
  glob: text('a glob pattern').default('data/**/*.jsonl'),
  max_line_bytes: positiveInt().default(1048576),
});

const MetricsSchema = section({
  host: text('a host name or address').default('127.0.0.1'),
  port: integer(0, 'a port number from 0 to 65535', 65535).default(9464),
});

const LogsSchema = section({
  path: text('a file path').default('logs/finetuning.log'),
  max_bytes: positiveInt().default(10485760),
  keep: nonNegativeInt().default(5),
});

/** The whole of config/models.yml. Parse with `ConfigSchema.safeParse(yamlValue)`. */
export const ConfigSchema = section({
  finetuning: FinetuningSchema,
  judge: JudgeSchema,
  dataset: DatasetSchema,
  metrics: MetricsSchema,
  logs: LogsSchema,
});

export type Config = z.output<typeof ConfigSchema>;

/** The floors that apply to one task's criteria: task-specific entries over the global ones. */
export function floorsFor(judge: Config['judge'], task: TaskType): Record<string, number> {
  const names = new Set(CRITERIA[task].map((c) => c.name));
  const merged: Record<string, number | undefined> = {};
  for (const [k, v] of Object.entries(judge.floors)) if (names.has(k) && typeof v === 'number') merged[k] = v;
  Object.assign(merged, judge.floors[task] ?? {});
  return Object.fromEntries(Object.entries(merged).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0));
}
export type FinetuningConfig = Config['finetuning'];
export type LoraConfig = FinetuningConfig['lora'];
export type DockerConfig = FinetuningConfig['docker'];
export type DistributedConfig = FinetuningConfig['distributed'];
export type RayConfig = FinetuningConfig['ray'];
export type GateConfig = FinetuningConfig['gate'];
export type IntegrationConfig = FinetuningConfig['integration'];
export type JudgeConfig = Config['judge'];
export type OpenAIJudgeConfig = JudgeConfig['openai'];
export type DatasetConfig = Config['dataset'];
export type MetricsConfig = Config['metrics'];
export type LogsConfig = Config['logs'];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The configuration used when config/models.yml is missing or empty. Deeply frozen. */
export const DEFAULT_CONFIG: Config = deepFreeze(ConfigSchema.parse({}));

/** A fresh, mutable copy of DEFAULT_CONFIG. */
export function defaultConfig(): Config {
  return structuredClone(DEFAULT_CONFIG);
}

// ---------------------------------------------------------------------------------------------
// Introspection for error reporting

type AnySchema = z.core.$ZodType;

/** The object schema inside wrappers (default, optional, preprocess pipes, ...), if any. */
function objectIn(schema: AnySchema | undefined, depth = 0): z.core.$ZodObject | z.core.$ZodRecord | undefined {
  if (!schema || depth > 10) return undefined;
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'object':
      return schema as z.core.$ZodObject;
    case 'record':
      return schema as z.core.$ZodRecord;
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return objectIn(def.innerType as AnySchema, depth + 1);
    case 'pipe':
      return objectIn(def.out as AnySchema, depth + 1) ?? objectIn(def.in as AnySchema, depth + 1);
    default:
      return undefined;
  }
}

/** The keys allowed in the mapping at `path` (e.g. ["finetuning", "lora"]), or [] when unknown. */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: AnySchema | undefined = ConfigSchema;
  for (const segment of path) {
    const container = objectIn(schema);
    if (!container) return [];
    if (container._zod.def.type === 'object') {
      schema = (container as z.core.$ZodObject)._zod.def.shape[String(segment)];
    } else {
      schema = (container as z.core.$ZodRecord)._zod.def.valueType;
    }
  }
  const container = objectIn(schema);
  return container && container._zod.def.type === 'object' ? Object.keys((container as z.core.$ZodObject)._zod.def.shape) : [];
}
