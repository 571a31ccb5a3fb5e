// Live reloading of config/models.yml.
//
// Watches the config folder rather than the file: editors that save by writing a temporary file
// and renaming it over the original (or by deleting and recreating it) replace the file's inode,
// and a watch on the old inode would go quiet. Events are debounced; on each settled change the
// file is re-read and re-parsed. A valid edit becomes `current` and fires onDidChange; an invalid
// one keeps the last good config and fires onDidFail.
//
// A file that disappears is given a grace period before it counts as deleted (and the defaults
// apply), so the brief gap of a delete-then-write save never applies the defaults, which could
// e.g. flip `finetuning.enabled` back on for a moment.
//
// Nothing here keeps the process alive: the fs watchers are non-persistent and timers unref'd.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ConfigError } from './ConfigError';
import { configPath, displayPath, parseConfig, readConfigText } from './load';
import { defaultConfig, type Config } from './schema';

export interface Disposable {
  dispose(): void;
}

/** Subscribe with a listener; dispose the result to unsubscribe. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

export interface ConfigWatcherOptions {
  /** Quiet time after the last file-system event before the file is re-read. Default 200 ms. */
  debounceMs?: number;
  /** How long the file must stay missing before it counts as deleted. Default 1000 ms. */
  missingGraceMs?: number;
}

class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    // Wrap so that subscribing the same function twice gives two independent subscriptions.
    const entry = (value: T) => listener(value);
    this.listeners.add(entry);
    return { dispose: () => void this.listeners.delete(entry) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (err) {
        // A failing listener must not stop the others or the watcher.
        console.error('config watcher listener failed:', err);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

const MISSING = Symbol('missing');

export class ConfigWatcher implements Disposable {
  /** Absolute path of the watched file. */
  readonly file: string;

  /** Fires with the new config after a valid edit (also when the file is deleted: the defaults). */
  readonly onDidChange: Event<Config>;
  /** Fires after an invalid edit; `current` keeps the last good config. */
  readonly onDidFail: Event<ConfigError>;

  private readonly shownAs: string;
  private readonly folder: string;
  private readonly debounceMs: number;
  private readonly missingGraceMs: number;
  private readonly changeEmitter = new Emitter<Config>();
  private readonly failEmitter = new Emitter<ConfigError>();

  private currentConfig: Config;
  private error: ConfigError | undefined;
  /** The text last processed (MISSING: no file), to ignore events that changed nothing. */
  private lastSeen: string | typeof MISSING | undefined;
  private missingSince: number | undefined;

  private watcher: fs.FSWatcher | undefined;
  /** What is being watched: the config folder itself (and its inode), its parent, or nothing. */
  private mode: 'folder' | 'parent' | 'none' = 'none';
  private folderIno: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  /**
   * Starts watching `<workspace>/config/models.yml` and loads it. When the file is invalid at
   * start, `current` is the defaults and `lastError` says why (no event fires for that).
   */
  constructor(
    readonly workspace: string,
    options: ConfigWatcherOptions = {},
  ) {
    this.file = configPath(workspace);
    this.folder = path.dirname(this.file);
    this.shownAs = displayPath(workspace, this.file);
    this.debounceMs = options.debounceMs ?? 200;
    this.missingGraceMs = options.missingGraceMs ?? 1000;
    this.onDidChange = this.changeEmitter.event;
    this.onDidFail = this.failEmitter.event;

    // Watch first, then read: an edit in between is then seen, not lost.
    this.ensureWatching();
    this.currentConfig = defaultConfig();
    try {
      const text = readConfigText(this.file, this.shownAs);
      this.lastSeen = text ?? MISSING;
      if (text !== undefined) this.currentConfig = parseConfig(text, this.shownAs);
    } catch (err) {
      this.error = asConfigError(err, this.shownAs);
    }
  }

  /** The last valid configuration. */
  get current(): Config {
    return this.currentConfig;
  }

  /** Why the file on disk is not in effect, or undefined when it is. */
  get lastError(): ConfigError | undefined {
    return this.error;
  }

  /** Re-reads the file now and fires onDidChange or onDidFail even if nothing changed. */
  reload(): void {
    this.check(true);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.closeWatcher();
    this.changeEmitter.clear();
    this.failEmitter.clear();
  }

  // -------------------------------------------------------------------------------------------

  private schedule(delayMs: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.check(false);
    }, delayMs);
    this.timer.unref();
  }

  private closeWatcher(): void {
    const watcher = this.watcher;
    this.watcher = undefined;
    this.mode = 'none';
    this.folderIno = undefined;
    if (watcher) {
      watcher.removeAllListeners();
      watcher.on('error', () => undefined); // a late error on a closed watcher is not ours to report
      watcher.close();
    }
  }

  /** Watches the config folder, or its parent until the folder exists; re-arms when it was replaced. */
  private ensureWatching(): void {
    if (this.disposed) return;
    let ino: number | undefined;
    try {
      const stat = fs.statSync(this.folder);
      if (stat.isDirectory()) ino = stat.ino;
    } catch {
      ino = undefined;
    }
    if (ino !== undefined && this.mode === 'folder' && this.folderIno === ino) return;
    if (ino === undefined && this.mode === 'parent') return;

    this.closeWatcher();
    const target = ino !== undefined ? this.folder : path.dirname(this.folder);
    try {
      const watcher = fs.watch(target, { persistent: false }, () => this.schedule(this.debounceMs));
      watcher.on('error', () => {
        // e.g. the folder was deleted (EPERM on Windows): start over from the next check.
        if (this.watcher === watcher) this.closeWatcher();
        this.schedule(this.debounceMs);
      });
      this.watcher = watcher;
      this.mode = ino !== undefined ? 'folder' : 'parent';
      this.folderIno = ino;
    } catch {
      // Nothing watchable (the workspace itself is gone? out of inotify watches?): look again in a
      // while. Each look re-reads the file too, so edits are still picked up, only later.
      this.mode = 'none';
      this.schedule(Math.max(2000, this.debounceMs));
    }
  }

  private check(force: boolean): void {
    if (this.disposed) return;
    this.ensureWatching();

    let text: string | undefined;
    try {
      text = readConfigText(this.file, this.shownAs);
    } catch (err) {
      this.lastSeen = undefined;
      this.fail(asConfigError(err, this.shownAs));
      return;
    }

    if (text === undefined) {
      if (!force && this.lastSeen !== MISSING) {
        this.missingSince ??= Date.now();
        const left = this.missingGraceMs - (Date.now() - this.missingSince);
        if (left > 0) {
          this.schedule(left);
          return;
        }
      }
      this.missingSince = undefined;
      if (!force && this.lastSeen === MISSING) return;
      this.lastSeen = MISSING;
      this.apply(defaultConfig(), force);
      return;
    }

    this.missingSince = undefined;
    if (!force && text === this.lastSeen) return;
    this.lastSeen = text;
    let config: Config;
    try {
      config = parseConfig(text, this.shownAs);
    } catch (err) {
      this.fail(asConfigError(err, this.shownAs));
      return;
    }
    this.apply(config, force);
  }

  private apply(config: Config, force: boolean): void {
    const recovered = this.error !== undefined;
    this.error = undefined;
    if (!force && !recovered && isDeepStrictEqual(config, this.currentConfig)) return;
    this.currentConfig = config;
    this.changeEmitter.fire(config);
  }

  private fail(error: ConfigError): void {
    this.error = error;
    this.failEmitter.fire(error);
  }
}

function asConfigError(err: unknown, file: string): ConfigError {
  if (err instanceof ConfigError) return err;
  return new ConfigError([{ file, path: '', message: err instanceof Error ? err.message : String(err) }]);
}
