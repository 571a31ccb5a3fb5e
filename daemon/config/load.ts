// Reading and validating config/models.yml.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { YAMLException } from 'js-yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './ConfigError';
import { ConfigSchema, defaultConfig, describeValue, knownKeysAt, type Config } from './schema';
import { closest } from './suggest';
import { parseYamlDocument, type SourcePosition, type YamlDocument } from './yamlPositions';

/** Where the config lives, relative to the workspace root. */
export const CONFIG_FILE = 'config/models.yml';

/** Absolute path of config/models.yml in `workspace`. */
export function configPath(workspace: string): string {
  return path.resolve(workspace, ...CONFIG_FILE.split('/'));
}

/** `file` relative to `workspace`, with forward slashes, for messages. */
export function displayPath(workspace: string, file: string): string {
  const relative = path.relative(path.resolve(workspace), file);
  return (relative === '' ? file : relative).split(path.sep).join('/');
}

/**
 * Loads `<workspace>/config/models.yml`. A missing file gives the defaults; an unreadable or
 * invalid file throws ConfigError.
 */
export function loadConfig(workspace: string): Config {
  const file = configPath(workspace);
  const shown = displayPath(workspace, file);
  const text = readConfigText(file, shown);
  return text === undefined ? defaultConfig() : parseConfig(text, shown);
}

/**
 * Reads the file; undefined when it does not exist. Other failures (a folder in its place, no
 * permission) throw ConfigError.
 */
export function readConfigText(file: string, shownAs: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const reason = code === 'EISDIR' ? 'it is a folder, not a file' : (err as Error).message;
    throw new ConfigError([{ file: shownAs, path: '', message: `cannot read the file: ${reason}` }]);
  }
}

/**
 * Parses and validates the text of a config file. `file` is the name used in messages
 * (normally "config/models.yml"). An empty file (or one with only comments) gives the defaults.
 * Throws ConfigError listing every problem found.
 */
export function parseConfig(text: string, file: string): Config {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

  let doc: YamlDocument;
  try {
    doc = parseYamlDocument(source, file);
  } catch (err) {
    if (err instanceof YAMLException) {
      const mark = err.mark as { line?: number; column?: number } | undefined;
      const where = mark && typeof mark.line === 'number' ? { line: mark.line + 1, column: (mark.column ?? 0) + 1 } : {};
      throw new ConfigError([{ file, ...where, path: '', message: err.reason || 'invalid YAML' }]);
    }
    throw err;
  }

  const data = doc.data === undefined || doc.data === null ? {} : doc.data;
  if (typeof data !== 'object' || Array.isArray(data) || data instanceof Date) {
    throw new ConfigError([
      {
        file,
        ...doc.locate([], 'value'),
        path: '',
        message: `expected a mapping at the top level (finetuning:, judge:, dataset:, metrics:, logs:), got ${describeValue(data)}`,
      },
    ]);
  }

  const result = ConfigSchema.safeParse(data, { error: fallbackMessage });
  if (result.success) return result.data;
  throw new ConfigError(toConfigIssues(result.error.issues, doc, file));
}

/** Messages for the few issues the schema does not word itself. */
function fallbackMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const found = describeValue(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${found}`;
    case 'too_small':
      return `expected a value ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}, got ${found}`;
    case 'too_big':
      return `expected a value ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}, got ${found}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}, got ${found}`;
    default:
      return undefined;
  }
}

/** "finetuning.lora.r", "judge.criteria.qa[1]", 'finetuning.base_models["org/x"]'. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

function unknownKeyMessage(parent: readonly PropertyKey[], key: string): string {
  const known = knownKeysAt(parent);
  const suggestion = closest(key, known);
  if (suggestion) return `unknown key; did you mean "${suggestion}"?`;
  if (parent.length === 0) {
    // A key that belongs one level down, e.g. `threshold:` not indented under `finetuning:`.
    for (const sectionName of known) {
      const inner = closest(key, knownKeysAt([sectionName]), { strict: true });
      if (inner) return `unknown key; did you mean "${sectionName}.${inner}" (indented under ${sectionName}:)?`;
    }
  }
  return known.length > 0 ? `unknown key; expected one of ${known.join(', ')}` : 'unknown key';
}

function toConfigIssues(zodIssues: readonly z.core.$ZodIssue[], doc: YamlDocument, file: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (position: SourcePosition | undefined) => (position ? { line: position.line, column: position.column } : {});

  for (const issue of zodIssues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const keyPath = [...issue.path, key];
        issues.push({ file, ...at(doc.locate(keyPath, 'key')), path: formatPath(keyPath), message: unknownKeyMessage(issue.path, key) });
      }
    } else {
      issues.push({ file, ...at(doc.locate(issue.path, 'value')), path: formatPath(issue.path), message: issue.message });
    }
  }

  // One line per distinct problem, in file order.
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const id = `${issue.line}:${issue.column}:${issue.path}:${issue.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => {
      const la = a.issue.line ?? Infinity;
      const lb = b.issue.line ?? Infinity;
      if (la !== lb) return la - lb;
      const ca = a.issue.column ?? 0;
      const cb = b.issue.column ?? 0;
      return ca !== cb ? ca - cb : a.index - b.index;
    })
    .map(({ issue }) => issue);
}
