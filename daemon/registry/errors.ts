// Errors the registry raises on purpose: the message says what is wrong, the hint what to do.
import { DomainError, type ErrorKind } from '../errors/DomainError';

type RegistryKind = Extract<ErrorKind, 'registry' | 'model-not-found' | 'version-not-found' | 'no-current-version' | 'no-earlier-version' | 'invalid-model-name'>;

export class RegistryError extends DomainError {
  constructor(
    message: string,
    hint = 'see logs/finetuning.log; model versions live under finetuning.output_dir (models/finetuned by default)',
    kind: RegistryKind = 'registry',
  ) {
    super(kind, message, hint);
    this.name = 'RegistryError';
  }
}

/** A version (or a model) that does not exist; the message lists what does. */
export class VersionNotFoundError extends RegistryError {
  constructor(
    readonly modelName: string,
    readonly version: string,
    /** The versions that exist for modelName, oldest first ([] when the model has none). */
    readonly available: readonly string[],
    /** Set when the model itself is unknown: the model names that exist. */
    readonly models?: readonly string[],
  ) {
    super(
      VersionNotFoundError.describe(modelName, version, available, models),
      models?.length === 0 ? 'a version lands when a run succeeds: start one with "finetune run"' : 'see the versions with "finetune models"',
      models ? 'model-not-found' : 'version-not-found',
    );
    this.name = 'VersionNotFoundError';
  }

  private static describe(modelName: string, version: string, available: readonly string[], models?: readonly string[]): string {
    if (models) {
      const known = models.length ? `models: ${models.join(', ')}` : 'no model has landed yet';
      return `no model named "${modelName}" (${known})`;
    }
    const known = available.length ? `versions: ${available.join(', ')}` : 'it has no versions yet';
    return `model "${modelName}" has no version ${version} (${known})`;
  }
}
