// Every user-facing error path of the finetune CLI: each one exits non-zero with a specific
// protocol code and kind (under --json) and a hint that says what to do next, and none of them
// is reported as an "internal error" (that is left for bugs).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { ErrorCodes } from '../../daemon/protocol';
import { isAlive } from '../../daemon/shared/instanceLock';
import { CLI, runCli } from '../helpers/daemonProcess';
import { jsonl, samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';

interface CliFailure {
  exit: number | null;
  code: number;
  kind: string;
  hint: string;
  error: string;
  stderr: string;
}

/** Runs a command that must fail, with --json, and returns what it reported. */
function fail(ws: TestWorkspace, args: string[]): CliFailure {
  const r = runCli(ws, [...args, '--json']);
  const shown = `finetune ${args.join(' ')} → ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assert.notEqual(r.code, 0, shown);
  assert.doesNotMatch(r.stdout + r.stderr, /internal error/, shown);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Omit<CliFailure, 'exit' | 'stderr'>;
  assert.ok(out.hint, `no hint: ${shown}`);
  // People read the same message and hint on stderr.
  assert.ok(r.stderr.includes(`hint: ${out.hint}`), shown);
  return { ...out, exit: r.code, stderr: r.stderr };
}

function expectFailure(ws: TestWorkspace, args: string[], want: { code: number; kind: string; message?: RegExp; hint?: RegExp }): CliFailure {
  const f = fail(ws, args);
  assert.equal(f.code, want.code, `${args.join(' ')}: ${f.error}`);
  assert.equal(f.kind, want.kind, `${args.join(' ')}: ${f.error}`);
  if (want.message) assert.match(f.error, want.message);
  if (want.hint) assert.match(f.hint, want.hint);
  assert.equal(f.exit, want.kind === 'usage' ? 2 : 1);
  return f;
}

function startDetached(ws: TestWorkspace): number {
  const r = runCli(ws, ['daemon', '--detach', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).pid;
}

function stop(ws: TestWorkspace, pid: number): void {
  runCli(ws, ['daemon', '--stop']);
  if (pid && isAlive(pid)) process.kill(pid, 'SIGKILL');
}

describe('finetune CLI error contract', () => {
  describe('bad arguments', () => {
    let ws: TestWorkspace;
    before(() => (ws = makeWorkspace()));
    after(() => ws.remove());

    const cases: [string[], RegExp][] = [
      [['status', 'extra'], /status takes no arguments/],
      [['runs', 'extra'], /runs takes no arguments/],
      [['logs', 'extra'], /logs takes no arguments/],
      [['run', 'now'], /run takes no arguments/],
      [['daemon', 'start'], /daemon takes no arguments/],
      [['ingest'], /ingest needs a FILE/],
      [['ingest', 'a.jsonl', 'b.jsonl'], /ingest takes at most 1 argument/],
      [['assess'], /assess needs a FILE/],
      [['cancel', 'run-1', 'run-2'], /cancel takes at most 1 argument/],
      [['models', 'promote'], /promote needs a version/],
      [['models', 'frob'], /unknown models subcommand "frob"/],
      [['models', 'promote', 'latest'], /"latest" is not a version/],
      [['annotate'], /annotate needs what to do/],
      [['annotate', 'frob', 'data/a.jsonl:1'], /unknown annotation "frob"/],
      [['judge'], /judge needs a subcommand/],
      [['judge', 'frob'], /unknown judge subcommand "frob"/],
    ];
    for (const [args, message] of cases) {
      it(`finetune ${args.join(' ')}`, () => {
        expectFailure(ws, args, { code: ErrorCodes.InvalidParams, kind: 'usage', message });
      });
    }

    it('finetune daemon --workspace naming no folder', () => {
      const r = spawnSync(process.execPath, [CLI, 'daemon', '--json', '--workspace', `${ws.dir}/no/such/folder`], { env: ws.env, encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual([out.code, out.kind], [ErrorCodes.InvalidParams, 'usage']);
      assert.match(out.error, /not a folder/);
      assert.match(out.hint, /--workspace/);
    });

    it('an unknown command or flag exits 2 with the usage', () => {
      for (const args of [['frobnicate'], ['status', '--frob']]) {
        const r = runCli(ws, args);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /usage: finetune <command>/);
        assert.doesNotMatch(r.stderr, /internal error/);
      }
    });
  });

  describe('no daemon', () => {
    let ws: TestWorkspace;
    before(() => (ws = makeWorkspace()));
    after(() => ws.remove());

    for (const args of [['status'], ['run'], ['cancel'], ['runs'], ['models'], ['models', 'rollback'], ['logs']]) {
      it(`finetune ${args.join(' ')} says how to start one`, () => {
        expectFailure(ws, args, { code: ErrorCodes.DaemonUnavailable, kind: 'daemon-not-running', hint: /finetune daemon --detach/ });
      });
    }

    it('an invalid config/models.yml is shown with file, line and column', () => {
      ws.write('config/models.yml', 'finetuning:\n  threshold: many\nmetrics:\n  port: 0\n');
      expectFailure(ws, ['daemon'], { code: ErrorCodes.InvalidConfig, kind: 'invalid-config', message: /config\/models\.yml:2:\d+ finetuning\.threshold/, hint: /config\/models\.yml/ });
      const detached = fail(ws, ['daemon', '--detach']);
      assert.equal(detached.kind, 'daemon-start-failed');
      assert.match(detached.error, /finetuning\.threshold/);
    });
  });

  describe('a running daemon on a fresh workspace', () => {
    let ws: TestWorkspace;
    let pid = 0;
    before(() => {
      ws = makeWorkspace('finetuning:\n  threshold: 10\n  runner: local\n');
      ws.write('incoming/folder.jsonl/keep', '');
      pid = startDetached(ws);
    });
    after(() => {
      stop(ws, pid);
      ws.remove();
    });

    it('a second daemon for the same workspace is refused', () => {
      expectFailure(ws, ['daemon'], { code: ErrorCodes.DaemonRunning, kind: 'daemon-running', message: new RegExp(`pid ${pid}`), hint: /daemon --stop/ });
    });

    it('ingest and assess of a missing file or a folder', () => {
      for (const cmd of ['ingest', 'assess']) {
        expectFailure(ws, [cmd, 'incoming/missing.jsonl'], { code: ErrorCodes.FileNotFound, kind: 'file-not-found', message: /no such file/ });
        expectFailure(ws, [cmd, 'incoming/folder.jsonl'], { code: ErrorCodes.FileNotFound, kind: 'not-a-file', hint: /one \.jsonl file/ });
      }
    });

    it('run below the threshold', () => {
      expectFailure(ws, ['run'], { code: ErrorCodes.BelowThreshold, kind: 'below-threshold', message: /0 of 10 .*10 more/, hint: /finetune run --force/ });
    });

    it('run --force with nothing to train on', () => {
      expectFailure(ws, ['run', '--force'], { code: ErrorCodes.NothingToTrain, kind: 'nothing-to-train', hint: /ingest/ });
    });

    it('cancel with no run, and cancel of an unknown run', () => {
      expectFailure(ws, ['cancel'], { code: ErrorCodes.RunNotFound, kind: 'run-not-found', message: /no run is queued or running/, hint: /finetune runs/ });
      expectFailure(ws, ['cancel', 'run-nope'], { code: ErrorCodes.RunNotFound, kind: 'run-not-found', message: /no run run-nope/ });
    });

    it('models promote of a version that does not exist', () => {
      expectFailure(ws, ['models', 'promote', 'v99'], { code: ErrorCodes.VersionNotFound, kind: 'model-not-found', message: /no model has landed yet/, hint: /finetune run/ });
    });

    it('models rollback with no current version', () => {
      expectFailure(ws, ['models', 'rollback'], { code: ErrorCodes.VersionNotFound, kind: 'no-current-version', message: /no version is current/, hint: /finetune models promote vN/ });
    });
  });

  describe('finetuning disabled (automatic runs off)', () => {
    let ws: TestWorkspace;
    let pid = 0;
    before(() => {
      ws = makeWorkspace('finetuning:\n  enabled: false\n  threshold: 10\n  runner: local\n');
      pid = startDetached(ws);
    });
    after(() => {
      stop(ws, pid);
      ws.remove();
    });

    it('run below the threshold says that no run will start by itself', () => {
      expectFailure(ws, ['run'], { code: ErrorCodes.BelowThreshold, kind: 'below-threshold', hint: /automatic runs are off \(finetuning\.enabled: false\)/ });
    });
  });

  describe('an unreachable runner', () => {
    let ws: TestWorkspace;
    let pid = 0;
    before(() => {
      ws = makeWorkspace('finetuning:\n  enabled: false\n  runner: docker\n');
      ws.env.DOCKER_HOST = `unix://${ws.dir}/no-docker.sock`;
      pid = startDetached(ws);
      ws.write('incoming/good.jsonl', jsonl(samplesOf('good', 3)));
      assert.equal(runCli(ws, ['ingest', 'incoming/good.jsonl']).code, 0);
    });
    after(() => {
      stop(ws, pid);
      ws.remove();
    });

    it('run --wait reports the failed run with what to do', () => {
      const r = runCli(ws, ['run', '--force', '--wait', '--json']);
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /internal error/);
      const out = JSON.parse(r.stdout);
      assert.equal(out.status, 'failed');
      assert.match(out.error, /no Docker engine answers at unix:\/\/.*no-docker\.sock/);
      assert.match(out.hint, /start Docker \(or set DOCKER_HOST\), or set finetuning\.runner: local/);
      const shown = runCli(ws, ['runs']);
      assert.match(shown.stdout, /failed .*no Docker engine answers.*\(start Docker/);
    });
  });

  describe('an unreachable judge', () => {
    let ws: TestWorkspace;
    let pid = 0;
    before(() => {
      ws = makeWorkspace('judge:\n  provider: openai\n  openai:\n    base_url: "http://127.0.0.1:9/v1"\n    max_retries: 0\n    timeout_ms: 2000\n');
      ws.env.OPENAI_API_KEY = 'test-key';
      pid = startDetached(ws);
      ws.write('incoming/good.jsonl', jsonl(samplesOf('good', 2)));
    });
    after(() => {
      stop(ws, pid);
      ws.remove();
    });

    it('ingest exits 1 and shows each line that was not judged, with the judge\'s hint', () => {
      const r = runCli(ws, ['ingest', 'incoming/good.jsonl', '--json']);
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /internal error/);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.errors.map((e: { line: number }) => e.line), [1, 2]);
      // "message (hint)": the judge says what is wrong and what to do.
      assert.match(out.errors[0].error, /127\.0\.0\.1:9.*\(.+\)$/);
    });
  });
});
