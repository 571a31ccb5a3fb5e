// The judge contract shared by every provider (heuristic, openai) and by the daemon.
import { DomainError } from '../errors/DomainError';

export type TaskType = 'summarization' | 'classification' | 'qa';
export const TASK_TYPES: readonly TaskType[] = ['summarization', 'classification', 'qa'];

export interface Sample {
  input: string;
  output: string;
}

export interface Criterion {
  /** Stable key used in scores and metrics labels, e.g. "consistency". */
  name: string;
  /** One-sentence definition shown to LLM judges and in hovers. */
  description: string;
  /** G-Eval style evaluation steps for an LLM judge. */
  steps: string[];
}

/** What a provider returns: each criterion scored 0..1 with a one-sentence reason. */
export interface JudgeResult {
  scores: Record<string, number>;
  rationale: Record<string, string>;
  /** The provider's own scores, when a calibration turned them into `scores`. */
  raw?: Record<string, number>;
}

export interface Judge {
  /** Provider name shown to users, e.g. "heuristic (no model)" or "openai:gpt-4o-mini". */
  readonly name: string;
  /** Bumped whenever prompts or scoring change; cached scores are keyed by sample hash + version. */
  readonly version: string;
  /** The version of the provider under a calibration (absent: `version`, the scores are raw). */
  readonly rawVersion?: string;
  judge(sample: Sample, task: TaskType, signal?: AbortSignal): Promise<JudgeResult>;
  /** Scores from raw ones this provider gave before, without judging again (absent: unchanged). */
  fromRaw?(raw: Record<string, number>, task: TaskType): Record<string, number>;
}

export class JudgeError extends DomainError {
  declare readonly hint: string;

  constructor(
    message: string,
    hint: string,
    readonly retryable = false,
  ) {
    super('judge', message, hint);
    this.name = 'JudgeError';
  }
}
