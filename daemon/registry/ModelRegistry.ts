// Landed model versions, the current pointer, promotion history and the evaluation gate.
//
// On disk, under finetuning.output_dir (e.g. <ws>/models/finetuned):
//   .staging/<runId>/              a run's output while it is written; never listed
//   <modelName>/v<N>/              a landed version: weights, tokenizer, README.md (model card),
//                                  metrics.json and metadata.json; files 0444, folders 0555
//   <modelName>/current.json       { version, promotedAt, reason }: THE source of truth
//   <modelName>/current -> v<N>    relative symlink for tools (`models/finetuned/<name>/current`)
//   <modelName>/history.jsonl      every promotion and rollback, append-only, fsynced
//
// Crash safety:
// - Landing: metadata.json is written (atomic) into the staging folder, every file and folder
//   there is made read-only and fsynced, then the folder is renamed to v<N> and the parent
//   fsynced. A rename of a complete folder is atomic, so v<N> is either absent or complete.
//   A retry of the same runId finds the landed version and returns it (idempotent).
// - Promotion: current.json is replaced atomically first (the commit point), then history.jsonl
//   gets its line, then the symlink is replaced (temp symlink + rename). A crash between the
//   steps is repaired on open: history gets the missing line, the symlink is pointed again.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { GateConfig } from '../config/schema';
import { appendDurable, fsyncDir, writeFileAtomic } from '../store/atomicWrite';
import { describeError, isErrno } from '../store/errors';
import { silentLogger, type StoreLogger } from '../store/logger';
import { Serial } from '../store/serial';
import { DomainError } from '../errors/DomainError';
import { refuseLink, refuseLinksBelow } from '../workspace/noFollow';
import { RegistryError, VersionNotFoundError } from './errors';
import { decide, type GateDecision } from './gate';
import { isModelName, normalizeVersion, versionNumber } from './modelName';
import {
  currentPointerSchema,
  historyEntrySchema,
  landMetadataSchema,
  storedMetadataSchema,
  type CurrentPointer,
  type HistoryEntry,
  type LandMetadata,
  type LandResult,
  type RegistryVersion,
  type VersionMetadata,
  type VersionMetrics,
} from './types';

export { decide, type GateDecision } from './gate';
export { RegistryError, VersionNotFoundError } from './errors';
export { modelNameFor } from './modelName';
export type * from './types';

export type RegistryLogger = StoreLogger;

export const STAGING_DIR = '.staging';
const METADATA = 'metadata.json';
const POINTER = 'current.json';
const LINK = 'current';
const HISTORY = 'history.jsonl';
const FILE_MODE = 0o444;
const DIR_MODE = 0o555;
/** A landed folder's name is taken by another process: try the next number this many times. */
const LAND_ATTEMPTS = 5;

export interface LandInput {
  modelName: string;
  /** The run's output folder, on the same file system as outputDir (e.g. stagingPathFor(runId)). */
  stagingDir: string;
  metadata: LandMetadata;
}

/** The gate's verdict on a candidate, with the numbers it compared. */
export interface GateEvaluation extends GateDecision {
  metric: string;
  candidateValue: number | undefined;
  currentValue: number | undefined;
  /** The version that was current when evaluated (null: none). */
  currentVersion: string | null;
  /** currentValue came from the candidate's `metrics.baseline_current` (same held-out set). */
  sameHeldOut: boolean;
}

export class ModelRegistry {
  private readonly serials = new Map<string, Serial>();
  /** metadata.json of landed versions, by path; versions are immutable, the inode guards edits by hand. */
  private readonly metadataCache = new Map<string, { ino: number; metadata: VersionMetadata }>();
  /** Staging folders a land in this process is moving right now: cleanupStaging leaves them. */
  private readonly landing = new Set<string>();
  /** Models whose last operation failed part-way: reconciled before the next one. */
  private readonly interrupted = new Set<string>();

  private constructor(
    /** Absolute: finetuning.output_dir resolved against the workspace. */
    readonly outputDir: string,
    private readonly log: RegistryLogger,
  ) {}

  /**
   * Open (creating outputDir if needed) and repair what a crash may have left half-done: a
   * history line missing for the current pointer, a symlink not matching it, temp files.
   */
  static async open(outputDir: string, logger: RegistryLogger = silentLogger): Promise<ModelRegistry> {
    if (!path.isAbsolute(outputDir)) throw new RegistryError(`the models folder must be an absolute path, got "${outputDir}"`);
    const registry = new ModelRegistry(path.resolve(outputDir), logger);
    await mkdirDurable(registry.outputDir);
    for (const name of await registry.modelNames()) {
      await registry.serial(name).run(() => registry.reconcile(name));
    }
    return registry;
  }

  // -------------------------------------------------------------------------------------------
  // Paths

  /** `<outputDir>/.staging/<runId>`: where a run should write its output. */
  stagingPathFor(runId: string): string {
    if (!isRunId(runId)) {
      throw new RegistryError(`run id "${runId}" cannot name a staging folder (letters, digits, ".", "_" and "-" only)`);
    }
    return path.join(this.outputDir, STAGING_DIR, runId);
  }

  /** An empty staging folder for a run: its old folder (only that one) removed, never through a link. */
  async resetStaging(runId: string): Promise<string> {
    const dir = this.stagingPathFor(runId);
    await refuseLinksBelow(this.outputDir, dir);
    await makeWritable(dir);
    await fsp.rm(dir, { recursive: true, force: true });
    return this.createStaging(runId);
  }

  /** Create (if needed) and return the staging folder for a run. */
  async createStaging(runId: string): Promise<string> {
    const dir = this.stagingPathFor(runId);
    await refuseLinksBelow(this.outputDir, dir);
    await mkdirDurable(dir);
    await refuseLinksBelow(this.outputDir, dir);
    return dir;
  }

  modelDir(modelName: string): string {
    assertModelName(modelName);
    return path.join(this.outputDir, modelName);
  }

  versionPath(modelName: string, version: string): string {
    return path.join(this.modelDir(modelName), version);
  }

  // -------------------------------------------------------------------------------------------
  // Landing

  /**
   * Move a run's finished output into the registry as the next version `v<N>`. Idempotent by
   * runId: if this run already landed (a retry after a crash), the existing version is returned
   * and the staging folder, if any, is left alone.
   */
  async land(input: LandInput): Promise<LandResult> {
    const { modelName } = input;
    assertModelName(modelName);
    const parsed = landMetadataSchema.safeParse(input.metadata);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(metadata)'}: ${i.message}`).join('; ');
      throw new RegistryError(`cannot land run "${String(input.metadata?.runId)}": invalid metadata (${problems})`);
    }
    const runId = input.metadata.runId;
    const modelDir = this.modelDir(modelName);
    const staging = path.resolve(input.stagingDir);
    const inside = path.relative(modelDir, staging);
    if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
      throw new RegistryError(`cannot land from "${staging}": the staging folder must not be inside the model's folder`);
    }

    return this.guarded(modelName, `Landing run ${runId} as a version of ${modelName}`, async () => {
      await refuseLinksBelow(this.outputDir, modelDir);
      const underModels = path.relative(this.outputDir, staging);
      if (!underModels.startsWith('..') && !path.isAbsolute(underModels)) await refuseLinksBelow(this.outputDir, staging);
      await mkdirDurable(modelDir);
      const existing = await this.findByRunId(modelName, runId);
      if (existing) {
        // The rename may have happened without its folder fsync, or before the last chmod.
        await this.sealTop(existing.path);
        await fsyncDir(modelDir);
        this.log.info(`run ${runId} had already landed as ${modelName} ${existing.metadata.version}; kept it`);
        return { ...existing, created: false };
      }

      const stagingStat = await fsp.lstat(staging).catch((error: unknown) => {
        if (isErrno(error, 'ENOENT')) {
          throw new RegistryError(
            `cannot land run "${runId}": its output folder ${staging} does not exist and no version of ${modelName} has this run id`,
          );
        }
        throw error;
      });
      if (!stagingStat.isDirectory()) throw new RegistryError(`cannot land run "${runId}": ${staging} is not a folder`);
      const modelStat = await fsp.stat(modelDir);
      if (stagingStat.dev !== modelStat.dev) {
        throw new RegistryError(
          `cannot land run "${runId}": ${staging} is on another file system than ${modelDir},`,
          'so it cannot be moved there atomically. Write the run output under the models folder\'s .staging/.',
        );
      }

      const metrics = input.metadata.metrics ?? (await readTrainerMetrics(staging, this.log));
      this.landing.add(staging);
      try {
        let number = await this.nextNumber(modelName);
        for (let attempt = 1; ; attempt++) {
          const version = `v${number}`;
          const metadata: VersionMetadata = {
            ...(input.metadata as Omit<VersionMetadata, 'version' | 'modelName' | 'createdAt' | 'metrics'>),
            version,
            modelName,
            metrics,
            createdAt: new Date().toISOString(),
          };
          // A retry after a crash may find the staging folder already sealed, and a temp file of
          // the metadata write the crash interrupted: it must not land inside the version.
          await fsp.chmod(staging, 0o755).catch(() => undefined);
          await removeMetadataTemps(staging);
          await writeFileAtomic(path.join(staging, METADATA), `${JSON.stringify(metadata, null, 2)}\n`, { mode: FILE_MODE });
          const warnings: string[] = [];
          await sealTree(staging, warnings, true);
          if (warnings.length) this.log.warn(`landing ${modelName} ${version}: could not make read-only: ${warnings.slice(0, 5).join('; ')}`);

          const target = path.join(modelDir, version);
          try {
            // rename(2) onto an existing non-empty folder fails instead of replacing it. The
            // moved folder itself stays writable until after the move: moving a folder to
            // another parent needs write permission on it (to update its "..").
            await fsp.rename(staging, target);
          } catch (error) {
            if ((isErrno(error, 'ENOTEMPTY') || isErrno(error, 'EEXIST')) && attempt < LAND_ATTEMPTS) {
              // Another process landed this number between our look and our rename.
              number = Math.max(number + 1, await this.nextNumber(modelName));
              continue;
            }
            if (isErrno(error, 'EXDEV')) {
              throw new RegistryError(`cannot land run "${runId}": ${staging} is on another file system than ${modelDir}`);
            }
            throw error;
          }
          await fsyncDir(modelDir);
          await fsyncDir(path.dirname(staging)).catch(() => undefined);
          await this.sealTop(target);
          this.remember(path.join(target, METADATA), metadata, await fsp.stat(path.join(target, METADATA)));
          this.log.info(`landed run ${runId} as ${modelName} ${version}`);
          return { metadata, path: target, created: true };
        }
      } finally {
        this.landing.delete(staging);
      }
    });
  }

  /**
   * Remove staging folders of runs that are neither running nor about to land (a crash left
   * them). Returns the names removed.
   */
  async cleanupStaging(keepRunIds: Iterable<string>): Promise<string[]> {
    const keep = new Set(keepRunIds);
    const dir = path.join(this.outputDir, STAGING_DIR);
    await refuseLink(this.outputDir);
    await refuseLink(dir);
    const entries = await fsp.readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    });
    const removed: string[] = [];
    for (const entry of entries) {
      const name = entry.name;
      const full = path.join(dir, name);
      if (keep.has(name) || this.landing.has(full)) continue;
      // Only what the daemon made: a real folder named like a run id (a link or a stray file stays).
      if (!entry.isDirectory() || !isRunId(name)) {
        this.log.warn(`left ${full} alone: the daemon did not make it (only run folders are cleaned up)`);
        continue;
      }
      await makeWritable(full);
      await fsp.rm(full, { recursive: true, force: true });
      removed.push(name);
      this.log.info(`removed abandoned staging folder ${full}`);
    }
    if (removed.length) await fsyncDir(dir);
    return removed;
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  /** Model folders under outputDir, sorted. */
  async modelNames(): Promise<string[]> {
    const entries = await fsp.readdir(this.outputDir, { withFileTypes: true }).catch((error: unknown) => {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    });
    return entries
      .filter((e) => e.isDirectory() && isModelName(e.name))
      .map((e) => e.name)
      .sort();
  }

  /** Version folder names of a model, oldest first (v1, v2, v10). */
  async versions(modelName: string): Promise<string[]> {
    const entries = await fsp.readdir(this.modelDir(modelName), { withFileTypes: true }).catch((error: unknown) => {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    });
    return entries
      .filter((e) => e.isDirectory() && !Number.isNaN(versionNumber(e.name)))
      .map((e) => e.name)
      .sort((a, b) => versionNumber(a) - versionNumber(b));
  }

  /** A version's metadata. Unknown model or version: VersionNotFoundError listing what exists. */
  async get(modelName: string, version: string | number): Promise<VersionMetadata> {
    assertModelName(modelName);
    const name = normalizeVersion(version);
    const versions = await this.versions(modelName);
    if (!name || !versions.includes(name)) {
      if (versions.length === 0 && !(await this.modelNames()).includes(modelName)) {
        throw new VersionNotFoundError(modelName, String(version), [], await this.modelNames());
      }
      throw new VersionNotFoundError(modelName, String(version), versions);
    }
    return this.readMetadata(path.join(this.versionPath(modelName, name), METADATA));
  }

  /** The current pointer; null when nothing was promoted (or the pointed version is gone). */
  async current(modelName: string): Promise<CurrentPointer | null> {
    const pointer = await this.readPointer(modelName);
    if (!pointer) return null;
    if (!(await exists(this.versionPath(modelName, pointer.version)))) {
      this.log.warn(`${modelName}: current.json names ${pointer.version}, whose folder is missing; no version is current`);
      return null;
    }
    return pointer;
  }

  /** Promotions and rollbacks, oldest first. */
  async history(modelName: string): Promise<HistoryEntry[]> {
    return this.readHistory(modelName);
  }

  /**
   * Versions of one model (or of all), newest first, with their status. Folders whose
   * metadata.json cannot be read are left out with a warning.
   */
  async list(modelName?: string): Promise<RegistryVersion[]> {
    const names = modelName === undefined ? await this.modelNames() : [modelName];
    const out: RegistryVersion[] = [];
    for (const name of names) {
      assertModelName(name);
      const pointer = await this.readPointer(name).catch((error: unknown) => {
        this.log.warn(`${name}: ${describeError(error)}`);
        return null;
      });
      const everCurrent = new Set((await this.readHistory(name)).map((e) => e.version));
      for (const version of await this.versions(name)) {
        const dir = this.versionPath(name, version);
        let metadata: VersionMetadata;
        try {
          metadata = await this.readMetadata(path.join(dir, METADATA));
        } catch (error) {
          this.log.warn(`${name} ${version} is not listed: ${describeError(error)}`);
          continue;
        }
        const current = pointer?.version === version;
        out.push({
          modelName: name,
          version,
          current,
          status: current ? 'current' : everCurrent.has(version) ? 'previous' : 'candidate',
          path: dir,
          runId: metadata.runId,
          createdAt: metadata.createdAt,
          parent: metadata.parent ?? null,
          metrics: metadata.metrics,
        });
      }
    }
    return out.sort(
      (a, b) =>
        b.createdAt.localeCompare(a.createdAt) ||
        a.modelName.localeCompare(b.modelName) ||
        versionNumber(b.version) - versionNumber(a.version),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Gate

  /**
   * The gate on a landed candidate: its `metrics.after[gate.metric]` against the current
   * version's. The daemon passes the candidate as landed; the current model's number is:
   *  - `candidate.metrics.baseline_current[metric]` when the trainer evaluated the current model
   *    on this run's held-out split and that model is still current (candidate.parent equals the
   *    current version): the same data, a fair comparison;
   *  - otherwise the current version's own `metrics.after[metric]`, measured on the held-out split
   *    of its own (older) snapshot: comparable only as far as the splits are alike.
   * A candidate that is already current gets promote: true (re-running after a crash between
   * promotion and the integration hook runs the hook again: at least once).
   */
  async evaluate(candidate: VersionMetadata, gate: GateConfig): Promise<GateEvaluation> {
    const metric = gate.metric;
    const candidateValue = numberOrUndefined(candidate.metrics?.after?.[metric]);
    const pointer = await this.current(candidate.modelName);
    const { mode, margin } = gate;
    if (!pointer) {
      const decision = decide({ metric, candidate: candidateValue, current: undefined, currentVersion: null, mode, margin });
      return { ...decision, metric, candidateValue, currentValue: undefined, currentVersion: null, sameHeldOut: false };
    }
    if (pointer.version === candidate.version) {
      const reason = `${candidate.version} is already the current version`;
      return { promote: true, reason, metric, candidateValue, currentValue: candidateValue, currentVersion: pointer.version, sameHeldOut: false };
    }
    const baseline = numberOrUndefined(candidate.metrics?.baseline_current?.[metric]);
    const sameHeldOut = baseline !== undefined && candidate.parent === pointer.version;
    let currentValue = baseline;
    if (!sameHeldOut) {
      const currentMeta = await this.get(candidate.modelName, pointer.version);
      currentValue = numberOrUndefined(currentMeta.metrics?.after?.[metric]);
    }
    const decision = decide({ metric, candidate: candidateValue, current: currentValue, currentVersion: pointer.version, mode, margin, sameHeldOut });
    return { ...decision, metric, candidateValue, currentValue, currentVersion: pointer.version, sameHeldOut };
  }

  // -------------------------------------------------------------------------------------------
  // Promotion

  /** Make `version` current. Promoting the version already current changes nothing. */
  async promote(modelName: string, version: string | number, reason: string): Promise<CurrentPointer> {
    assertModelName(modelName);
    return this.guarded(modelName, `Promoting ${modelName} ${normalizeVersion(version) ?? String(version)}`, async () => {
      const name = (await this.get(modelName, version)).version;
      const previous = await this.readPointer(modelName);
      if (previous?.version === name) {
        await this.pointLink(modelName, name);
        return previous;
      }
      return this.movePointer(modelName, 'promote', name, previous?.version ?? null, reason);
    });
  }

  /**
   * Go back to the version that was current before the current one (replaying history.jsonl:
   * each promotion pushes, each rollback pops), skipping versions whose folder is gone.
   */
  async rollback(modelName: string, reason?: string): Promise<CurrentPointer> {
    assertModelName(modelName);
    return this.guarded(modelName, `Rolling back ${modelName}`, async () => {
      const pointer = await this.readPointer(modelName);
      if (!pointer) {
        throw new RegistryError(`cannot roll back ${modelName}: no version is current`, 'promote one first: see the versions with "finetune models", then "finetune models promote vN"', 'no-current-version');
      }
      const stack = replay(await this.readHistory(modelName));
      if (stack.at(-1) !== pointer.version) stack.push(pointer.version);
      stack.pop();
      const available = new Set(await this.versions(modelName));
      while (stack.length && !available.has(stack.at(-1)!)) stack.pop();
      const target = stack.at(-1);
      if (!target) {
        throw new RegistryError(
          `cannot roll back ${modelName}: ${pointer.version} is the first version that was current, there is none before it`,
          'promote another version instead: see them with "finetune models"',
          'no-earlier-version',
        );
      }
      return this.movePointer(modelName, 'rollback', target, pointer.version, reason ?? `rolled back from ${pointer.version}`);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Internals

  /**
   * One landing, promotion or rollback at a time per model. A write, fsync or rename that fails
   * (disk full, I/O error) becomes a storage error that says what to do, never "internal"; the
   * next operation first repairs what the failed one may have left half-done (a pointer moved
   * without its history line or link), as opening the registry after a crash does.
   */
  private guarded<T>(modelName: string, what: string, operation: () => Promise<T>): Promise<T> {
    return this.serial(modelName).run(async () => {
      try {
        if (this.interrupted.has(modelName)) {
          await this.reconcile(modelName);
          this.interrupted.delete(modelName);
        }
        return await operation();
      } catch (error) {
        if (error instanceof DomainError || !hasErrno(error)) throw error;
        this.interrupted.add(modelName);
        this.log.error(`${what} failed: ${describeError(error)}`);
        throw new RegistryError(
          `${what} failed (${describeError(error)}).`,
          'Free disk space or fix the disk (check permissions too), then try again (a run that could not land: "finetune run"); the versions already landed and the current version are unchanged.',
        );
      }
    });
  }

  private serial(modelName: string): Serial {
    let serial = this.serials.get(modelName);
    if (!serial) {
      serial = new Serial();
      this.serials.set(modelName, serial);
    }
    return serial;
  }

  private async movePointer(
    modelName: string,
    action: 'promote' | 'rollback',
    version: string,
    from: string | null,
    reason: string,
  ): Promise<CurrentPointer> {
    const at = new Date().toISOString();
    const pointer: CurrentPointer = { version, promotedAt: at, reason, action };
    // 1. The commit point.
    await writeFileAtomic(path.join(this.modelDir(modelName), POINTER), `${JSON.stringify(pointer, null, 2)}\n`, { mode: 0o644 });
    // 2. The log (repaired from the pointer on open if we crash before this line is durable).
    await this.appendHistory(modelName, { at, action, version, from, reason });
    // 3. Convenience for tools.
    await this.pointLink(modelName, version);
    this.log.info(`${modelName}: ${version} is current (${action}${from ? ` from ${from}` : ''}): ${reason}`);
    return pointer;
  }

  /** Make history and symlink agree with current.json; drop temp files of interrupted writes. */
  private async reconcile(modelName: string): Promise<void> {
    const dir = this.modelDir(modelName);
    for (const entry of await fsp.readdir(dir)) {
      if (entry.startsWith('.') && entry.endsWith('.tmp')) await fsp.rm(path.join(dir, entry), { force: true });
    }
    let pointer: CurrentPointer | null;
    const history = await this.readHistory(modelName);
    try {
      pointer = await this.readPointer(modelName);
    } catch (error) {
      // Atomic writes make this unlikely (a disk error, an edit by hand): restore from history.
      const top = replay(history).at(-1);
      this.log.warn(`${modelName}: ${describeError(error)}; ${top ? `restoring ${top} from ${HISTORY}` : 'no version is current'}`);
      if (!top) {
        await fsp.rename(path.join(dir, POINTER), path.join(dir, `${POINTER}.corrupt-${Date.now()}`));
        return;
      }
      pointer = { version: top, promotedAt: new Date().toISOString(), reason: `restored from ${HISTORY}`, action: 'promote' };
      await writeFileAtomic(path.join(dir, POINTER), `${JSON.stringify(pointer, null, 2)}\n`, { mode: 0o644 });
    }
    if (!pointer) {
      await this.pointLink(modelName, null);
      return;
    }
    const stack = replay(history);
    const top = stack.at(-1) ?? null;
    if (top !== pointer.version) {
      this.log.warn(`${modelName}: ${HISTORY} missed the change to ${pointer.version} (interrupted); added it`);
      await this.appendHistory(modelName, {
        at: pointer.promotedAt,
        action: pointer.action ?? 'promote',
        version: pointer.version,
        from: top,
        reason: pointer.reason,
        recovered: true,
      });
    }
    await this.pointLink(modelName, pointer.version);
  }

  /** Point `<model>/current` at `version` (null: remove it). Failures are logged, not thrown. */
  private async pointLink(modelName: string, version: string | null): Promise<void> {
    const dir = this.modelDir(modelName);
    const link = path.join(dir, LINK);
    try {
      const existing = await fsp.readlink(link).catch((error: unknown) => {
        if (isErrno(error, 'ENOENT') || isErrno(error, 'EINVAL')) return undefined;
        throw error;
      });
      if (version === null) {
        if (existing !== undefined) {
          await fsp.unlink(link);
          await fsyncDir(dir);
        }
        return;
      }
      if (existing === version) return;
      const temp = path.join(dir, `.${LINK}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      await fsp.symlink(version, temp, 'dir');
      try {
        await fsp.rename(temp, link); // replaces an old symlink atomically
      } catch (error) {
        await fsp.rm(temp, { force: true });
        throw error;
      }
      await fsyncDir(dir);
    } catch (error) {
      this.log.warn(`${modelName}: could not point ${link} at ${version ?? 'nothing'}: ${describeError(error)} (current.json is right)`);
    }
  }

  private async readPointer(modelName: string): Promise<CurrentPointer | null> {
    const file = path.join(this.modelDir(modelName), POINTER);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new RegistryError(`${file} is not valid JSON (${describeError(error)})`);
    }
    const checked = currentPointerSchema.safeParse(parsed);
    if (!checked.success || !normalizeVersion(checked.data.version)) {
      throw new RegistryError(`${file} does not name a version`);
    }
    return checked.data as CurrentPointer;
  }

  private async readHistory(modelName: string): Promise<HistoryEntry[]> {
    const file = path.join(this.modelDir(modelName), HISTORY);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    }
    const entries: HistoryEntry[] = [];
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      const checked = historyEntrySchema.safeParse(value);
      if (checked.success) entries.push(checked.data as HistoryEntry);
      // The last line may be torn by a crash mid-append; current.json is the truth anyway.
      else this.log.warn(`${file}:${index + 1} is not a history entry; ignored`);
    });
    return entries;
  }

  private async appendHistory(modelName: string, entry: HistoryEntry): Promise<void> {
    const file = path.join(this.modelDir(modelName), HISTORY);
    // After a torn append the file may not end with a newline: never glue onto that fragment.
    let prefix = '';
    try {
      const handle = await fsp.open(file, 'r');
      try {
        const { size } = await handle.stat();
        if (size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = '\n';
        }
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
    await appendDurable(file, `${prefix}${JSON.stringify(entry)}\n`);
  }

  private async readMetadata(file: string): Promise<VersionMetadata> {
    const stat = await fsp.stat(file).catch((error: unknown) => {
      if (isErrno(error, 'ENOENT')) throw new RegistryError(`${file} is missing`);
      throw error;
    });
    const cached = this.metadataCache.get(file);
    if (cached && cached.ino === stat.ino) return cached.metadata;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fsp.readFile(file, 'utf8'));
    } catch (error) {
      throw new RegistryError(`${file} is not valid JSON (${describeError(error)})`);
    }
    const checked = storedMetadataSchema.safeParse(parsed);
    if (!checked.success) throw new RegistryError(`${file} is not version metadata (${checked.error.issues[0]?.message ?? 'invalid'})`);
    const metadata = checked.data as unknown as VersionMetadata;
    // The folder name is the version, whatever the file says (a folder copied by hand).
    const folder = path.basename(path.dirname(file));
    const model = path.basename(path.dirname(path.dirname(file)));
    const fixed = metadata.version === folder && metadata.modelName === model ? metadata : { ...metadata, version: folder, modelName: model };
    this.remember(file, fixed, stat);
    return fixed;
  }

  private remember(file: string, metadata: VersionMetadata, stat: { ino: number }): void {
    this.metadataCache.set(file, { ino: stat.ino, metadata });
  }

  private async findByRunId(modelName: string, runId: string): Promise<{ metadata: VersionMetadata; path: string } | undefined> {
    for (const version of (await this.versions(modelName)).reverse()) {
      const dir = this.versionPath(modelName, version);
      try {
        const metadata = await this.readMetadata(path.join(dir, METADATA));
        if (metadata.runId === runId) return { metadata, path: dir };
      } catch (error) {
        this.log.warn(`${modelName} ${version}: ${describeError(error)}`);
      }
    }
    return undefined;
  }

  /** max(N) + 1 over the v<N> folders: gaps (a version deleted by hand) are never refilled below the max. */
  private async nextNumber(modelName: string): Promise<number> {
    const versions = await this.versions(modelName);
    return versions.length ? versionNumber(versions.at(-1)!) + 1 : 1;
  }

  private async sealTop(dir: string): Promise<void> {
    try {
      const stat = await fsp.stat(dir);
      if ((stat.mode & 0o777) !== DIR_MODE) {
        await fsp.chmod(dir, DIR_MODE);
        await fsyncDir(dir);
      }
    } catch (error) {
      this.log.warn(`could not make ${dir} read-only: ${describeError(error)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function assertModelName(name: string): void {
  if (typeof name !== 'string' || !isModelName(name)) {
    throw new RegistryError(`"${String(name)}" is not a model name`, 'use lower-case letters, digits, ".", "_" and "-" (see modelNameFor)', 'invalid-model-name');
  }
}

/** `.metadata.json.<pid>.<random>.tmp`: what writeFileAtomic leaves when a crash interrupts it. */
async function removeMetadataTemps(staging: string): Promise<void> {
  for (const name of await fsp.readdir(staging)) {
    if (name.startsWith(`.${METADATA}.`) && name.endsWith('.tmp')) await fsp.rm(path.join(staging, name), { force: true });
  }
}

/** An error of a system call (ENOSPC, EIO, EACCES…), as opposed to a bug. */
function hasErrno(error: unknown): boolean {
  return typeof error === 'object' && error !== null && typeof (error as NodeJS.ErrnoException).code === 'string';
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.stat(file);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

function isRunId(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(name) && !name.includes('..');
}

/** mkdir -p, fsyncing the parent of each folder it created. */
async function mkdirDurable(dir: string): Promise<void> {
  const first = await fsp.mkdir(dir, { recursive: true });
  if (first === undefined) return;
  // Every folder from `first` down to `dir` is new: fsync each one's parent.
  let current = dir;
  const parents: string[] = [];
  while (current.length >= first.length) {
    parents.push(path.dirname(current));
    if (current === first) break;
    current = path.dirname(current);
  }
  for (const parent of parents) await fsyncDir(parent);
}

/** The stack of versions that were current, replaying promotions (push) and rollbacks (pop). */
function replay(history: readonly HistoryEntry[]): string[] {
  const stack: string[] = [];
  for (const entry of history) {
    if (entry.action === 'rollback' && stack.at(-1) === entry.from) stack.pop();
    if (stack.at(-1) !== entry.version) stack.push(entry.version);
  }
  return stack;
}

/** metrics.json written by the trainer, without the sample predictions ("examples"). */
async function readTrainerMetrics(staging: string, log: RegistryLogger): Promise<VersionMetrics> {
  const file = path.join(staging, 'metrics.json');
  try {
    const value: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    const { examples: _examples, ...rest } = value as Record<string, unknown>;
    return rest as VersionMetrics;
  } catch (error) {
    log.warn(`${file}: ${describeError(error)}; the version lands without metrics`);
    return {};
  }
}

/**
 * Make a tree read-only (files 0444, folders 0555) and durable (fsync every file and folder),
 * deepest first. Symlinks and special files are left as they are (never opened: a FIFO would
 * block). `skipTop`: the top folder stays writable (it is about to be renamed). Failures to chmod
 * (files owned by another user, e.g. a container's root) go to `warnings`; fsync failures throw.
 */
async function sealTree(dir: string, warnings: string[], skipTop = false): Promise<void> {
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      await sealTree(full, warnings);
    } else if (entry.isFile()) {
      const handle = await fsp.open(full, 'r');
      try {
        await handle.chmod(FILE_MODE).catch((error: unknown) => {
          warnings.push(`${full}: ${describeError(error)}`);
        });
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  }
  if (!skipTop) {
    await fsp.chmod(dir, DIR_MODE).catch((error: unknown) => {
      warnings.push(`${dir}: ${describeError(error)}`);
    });
  }
  await fsyncDir(dir);
}

/** Undo sealTree's folder modes so a tree can be removed (files need no write bit to be unlinked). */
async function makeWritable(target: string): Promise<void> {
  let stat;
  try {
    stat = await fsp.lstat(target);
  } catch {
    return;
  }
  if (!stat.isDirectory()) return;
  await fsp.chmod(target, 0o755).catch(() => undefined);
  for (const entry of await fsp.readdir(target, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) await makeWritable(path.join(target, entry.name));
  }
}
