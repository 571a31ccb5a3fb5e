// The one error type of the config module: a list of located problems in config/models.yml.
import { DomainError } from '../errors/DomainError';

export interface ConfigIssue {
  /** The file as shown to the user, relative to the workspace, e.g. "config/models.yml". */
  file: string;
  /** 1-based line of the offending value (or key), when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  /** Dotted key path, e.g. "finetuning.threshold" or "judge.criteria.qa[1]"; "" for the whole file. */
  path: string;
  /** What was expected and what was found. */
  message: string;
}

/** Formats one issue as `file:line:col path: message` (parts that are unknown are left out). */
export function formatIssue(issue: ConfigIssue): string {
  let where = issue.file;
  if (issue.line !== undefined) where += `:${issue.line}:${issue.column ?? 1}`;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`;
}

export class ConfigError extends DomainError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const list = issues.length > 0 ? issues : [{ file: 'config', path: '', message: 'invalid configuration' }];
    super('invalid-config', list.map(formatIssue).join('\n'), `fix ${list[0].file} at the place shown (a running daemon reloads it when it is saved)`);
    this.name = 'ConfigError';
    this.issues = Object.freeze(list.map((issue) => Object.freeze({ ...issue })));
  }

  /** One issue per line, e.g. `config/models.yml:7:14 finetuning.threshold: expected a positive integer, got "many"`. */
  override toString(): string {
    return this.issues.map(formatIssue).join('\n');
  }
}
