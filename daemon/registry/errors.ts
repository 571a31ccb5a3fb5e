// Errors the registry raises on purpose: the message says what is wrong, the hint what to do.

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(hint ? `${message} ${hint}` : message);
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
    super(VersionNotFoundError.describe(modelName, version, available, models));
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
