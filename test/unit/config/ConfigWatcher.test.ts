import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../../daemon/config/ConfigError';
import { ConfigWatcher } from '../../../daemon/config/ConfigWatcher';
import { DEFAULT_CONFIG, type Config } from '../../../daemon/config/schema';
import { makeWorkspace, removeWorkspace, REPO_ROOT, writeConfig } from './helpers';

// Every wait below is on an event; the timeout only bounds a failing test.
const EVENT_TIMEOUT_MS = 5000;

type Seen = { kind: 'change'; config: Config } | { kind: 'fail'; error: ConfigError };

/** Records a watcher's events and lets a test wait for one that matches. */
class Recorder {
  readonly events: Seen[] = [];
  private waiters: { match: (e: Seen) => boolean; resolve: (e: Seen) => void }[] = [];

  constructor(watcher: ConfigWatcher) {
    watcher.onDidChange((config) => this.push({ kind: 'change', config }));
    watcher.onDidFail((error) => this.push({ kind: 'fail', error }));
  }

  private push(event: Seen): void {
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(event)) return true;
      w.resolve(event);
      return false;
    });
  }

  /** Resolves with the first event from now on (index >= `from`) that matches. */
  next(match: (e: Seen) => boolean, what: string, from = this.events.length): Promise<Seen> {
    const earlier = this.events.slice(from).find(match);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; saw ${this.describe()}`)), EVENT_TIMEOUT_MS);
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  change(what: string, predicate: (c: Config) => boolean): Promise<Config> {
    return this.next((e) => e.kind === 'change' && predicate(e.config), what).then((e) => (e as { config: Config }).config);
  }

  fail(what: string): Promise<ConfigError> {
    return this.next((e) => e.kind === 'fail', what).then((e) => (e as { error: ConfigError }).error);
  }

  describe(): string {
    return JSON.stringify(this.events.map((e) => (e.kind === 'change' ? `change(threshold=${e.config.finetuning.threshold})` : `fail(${e.error})`)));
  }
}

const threshold = (n: number) => `finetuning:\n  threshold: ${n}\n`;

describe('config: ConfigWatcher', function () {
  this.timeout(20000);

  let workspace: string;
  let watcher: ConfigWatcher | undefined;
  const open = (options = { debounceMs: 50, missingGraceMs: 300 }) => {
    watcher = new ConfigWatcher(workspace, options);
    return { watcher, recorder: new Recorder(watcher) };
  };

  beforeEach(() => {
    workspace = makeWorkspace();
  });
  afterEach(() => {
    watcher?.dispose();
    watcher = undefined;
    removeWorkspace(workspace);
  });

  it('loads the file at start', () => {
    writeConfig(workspace, threshold(7));
    const { watcher } = open();
    assert.equal(watcher.current.finetuning.threshold, 7);
    assert.equal(watcher.lastError, undefined);
    assert.equal(watcher.file, path.join(workspace, 'config', 'models.yml'));
  });

  it('starts on the defaults, with lastError set, when the file is invalid at start', () => {
    writeConfig(workspace, threshold(0));
    const { watcher } = open();
    assert.deepEqual(watcher.current, DEFAULT_CONFIG);
    assert.equal(watcher.lastError?.toString(), 'config/models.yml:2:14 finetuning.threshold: expected a positive integer, got 0');
  });

  it('reloads on a valid edit', async () => {
    writeConfig(workspace, threshold(7));
    const { watcher, recorder } = open();
    const changed = recorder.change('threshold 8', (c) => c.finetuning.threshold === 8);
    writeConfig(workspace, threshold(8));
    assert.equal((await changed).finetuning.threshold, 8);
    assert.equal(watcher.current.finetuning.threshold, 8);
  });

  it('keeps the last good config on an invalid edit, reports it, and recovers', async () => {
    writeConfig(workspace, threshold(7));
    const { watcher, recorder } = open();

    const failed = recorder.fail('the invalid edit');
    writeConfig(workspace, 'finetuning:\n  threshold: many\n');
    const error = await failed;
    assert.ok(error instanceof ConfigError);
    assert.equal(error.toString(), 'config/models.yml:2:14 finetuning.threshold: expected a positive integer, got "many"');
    assert.equal(watcher.current.finetuning.threshold, 7);
    assert.equal(watcher.lastError, error);

    // Back to the same good content: still reported, so a UI can clear the error.
    const recovered = recorder.change('recovery', (c) => c.finetuning.threshold === 7);
    writeConfig(workspace, threshold(7));
    await recovered;
    assert.equal(watcher.lastError, undefined);
  });

  it('reports YAML syntax errors too', async () => {
    writeConfig(workspace, threshold(7));
    const { recorder } = open();
    const failed = recorder.fail('the syntax error');
    writeConfig(workspace, 'finetuning:\n  threshold: 7\n   batch_size: 4\n');
    assert.equal((await failed).toString(), 'config/models.yml:3:14 bad indentation of a mapping entry');
  });

  it('survives delete + recreate (a save that removes the file first) without flashing the defaults', async () => {
    writeConfig(workspace, threshold(7));
    const { watcher, recorder } = open();
    const changed = recorder.change('threshold 9', (c) => c.finetuning.threshold === 9);
    fs.unlinkSync(watcher.file);
    writeConfig(workspace, threshold(9));
    await changed;
    assert.ok(!recorder.events.some((e) => e.kind === 'change' && e.config.finetuning.threshold === 100), recorder.describe());

    // ...and keeps watching the new file.
    const again = recorder.change('threshold 10', (c) => c.finetuning.threshold === 10);
    writeConfig(workspace, threshold(10));
    await again;
  });

  it('survives saves that rename a temporary file over the config', async () => {
    writeConfig(workspace, threshold(7));
    const { watcher, recorder } = open();
    for (const n of [11, 12]) {
      const changed = recorder.change(`threshold ${n}`, (c) => c.finetuning.threshold === n);
      const tmp = path.join(path.dirname(watcher.file), `.models.yml.${n}.tmp`);
      fs.writeFileSync(tmp, threshold(n));
      fs.renameSync(tmp, watcher.file);
      await changed;
    }
  });

  it('applies the defaults when the file stays deleted, and picks it up when it comes back', async () => {
    writeConfig(workspace, threshold(7));
    const { watcher, recorder } = open();
    const defaults = recorder.change('the defaults', (c) => c.finetuning.threshold === 100);
    fs.unlinkSync(watcher.file);
    assert.deepEqual(await defaults, DEFAULT_CONFIG);

    const back = recorder.change('threshold 13', (c) => c.finetuning.threshold === 13);
    writeConfig(workspace, threshold(13));
    await back;
  });

  it('waits for a config folder that does not exist yet', async () => {
    const { watcher, recorder } = open();
    assert.deepEqual(watcher.current, DEFAULT_CONFIG);
    const changed = recorder.change('threshold 14', (c) => c.finetuning.threshold === 14);
    writeConfig(workspace, threshold(14));
    await changed;
  });

  it('survives the config folder being deleted and recreated', async () => {
    writeConfig(workspace, threshold(7));
    const { recorder } = open();
    const defaults = recorder.change('the defaults', (c) => c.finetuning.threshold === 100);
    fs.rmSync(path.join(workspace, 'config'), { recursive: true });
    await defaults;
    const changed = recorder.change('threshold 15', (c) => c.finetuning.threshold === 15);
    writeConfig(workspace, threshold(15));
    await changed;
  });

  it('coalesces a burst of events into one report of the final content; reload() reports on demand', async () => {
    writeConfig(workspace, threshold(7));
    const { watcher, recorder } = open();
    // An unrelated file, a write of the same content, then a real edit: one event, for the edit.
    const changed = recorder.change('threshold 16', (c) => c.finetuning.threshold === 16);
    fs.writeFileSync(path.join(workspace, 'config', 'other.txt'), 'x');
    writeConfig(workspace, threshold(7)); // same content
    writeConfig(workspace, threshold(16));
    await changed;
    assert.deepEqual(
      recorder.events.map((e) => e.kind === 'change' && e.config.finetuning.threshold),
      [16],
    );

    watcher.reload();
    assert.equal(recorder.events.length, 2);
    assert.equal(recorder.events[1].kind, 'change');
  });

  it('keeps notifying other listeners when one throws', async () => {
    writeConfig(workspace, threshold(7));
    const { watcher, recorder } = open();
    const originalError = console.error;
    console.error = () => undefined;
    try {
      watcher.onDidChange(() => {
        throw new Error('listener bug');
      });
      const changed = recorder.change('threshold 17', (c) => c.finetuning.threshold === 17);
      writeConfig(workspace, threshold(17));
      await changed;
    } finally {
      console.error = originalError;
    }
  });

  it('unsubscribes a listener and stops after dispose', () => {
    writeConfig(workspace, threshold(7));
    const { watcher, recorder } = open();
    let calls = 0;
    const subscription = watcher.onDidChange(() => calls++);
    watcher.reload();
    subscription.dispose();
    watcher.reload();
    assert.equal(calls, 1);
    assert.equal(recorder.events.length, 2);

    watcher.dispose();
    watcher.reload();
    watcher.dispose(); // twice is fine
    assert.equal(recorder.events.length, 2);
  });

  it('does not keep the process alive', async () => {
    writeConfig(workspace, threshold(7));
    // A child process that starts two watchers, disposes one and then just returns: it must exit
    // on its own (a lingering fs watcher or timer would keep it running until the timeout).
    const script = path.join(workspace, 'child.ts');
    fs.writeFileSync(
      script,
      [
        `const { ConfigWatcher } = require(${JSON.stringify(path.join(REPO_ROOT, 'daemon/config/ConfigWatcher.ts'))});`,
        `const disposed = new ConfigWatcher(${JSON.stringify(workspace)});`,
        `disposed.onDidChange(() => undefined);`,
        `disposed.dispose();`,
        `const live = new ConfigWatcher(${JSON.stringify(workspace)}, { debounceMs: 10 });`,
        `live.onDidChange(() => undefined);`,
        `require('node:fs').writeFileSync(live.file, 'finetuning:\\n  threshold: 8\\n');`,
        `console.log('started', live.current.finetuning.threshold);`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 15000);
      child.on('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    assert.equal(code, 0, `child did not exit by itself: ${output}`);
    assert.match(output, /started 7/);
  });
});
