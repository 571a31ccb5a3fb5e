// Finding 6 of issue 10: ENOSPC and EIO injected at every write and fsync of the store (the
// dataset, its accepted journal and the recovery probe), once and forever. Nothing acknowledged
// is lost, no file becomes unreadable, the error is a storage error with a hint (never
// "internal"), and once the disk takes writes again the store heals without a restart.
// The fault wrapper: FaultyIO below wraps the real fs calls the store makes (its AppendIO).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeIO, type AppendIO } from '../../daemon/store/AppendLog';
import type { FileHandle } from '../../daemon/store/atomicWrite';
import { DatasetStore } from '../../daemon/store/DatasetStore';
import { StoreError } from '../../daemon/store/errors';
import { sampleId } from '../../daemon/store/sampleId';
import { toProtocolError } from '../../daemon/errors/toProtocolError';
import { ErrorCodes } from '../../daemon/protocol';
import { statusBarView } from '../../extension/statusBar/statusBarText';
import { aStatus } from '../unit/extension/fixtures';
import { faultCounts } from './counts';
import { Logger } from '../../daemon/log';

type Mode = 'once' | 'forever';

/** The real write and fsync, failing with `code` at operation number `at` (once, or from then on). */
class FaultyIO implements AppendIO {
  ops = 0;
  healed = false;
  constructor(private readonly at: number, private readonly mode: Mode, private readonly code: 'ENOSPC' | 'EIO') {}
  private check(what: string): void {
    this.ops++;
    if (this.healed) return;
    if (this.ops === this.at || (this.mode === 'forever' && this.ops > this.at)) {
      throw Object.assign(new Error(`${this.code}: injected, ${what}`), { code: this.code });
    }
  }
  async write(handle: FileHandle, bytes: Uint8Array): Promise<void> {
    this.check('write');
    await nodeIO.write(handle, bytes);
  }
  async sync(handle: FileHandle): Promise<void> {
    this.check('fsync');
    await nodeIO.sync(handle);
  }
}

const sample = (n: number) => ({ input: `question number ${n}`, output: `answer number ${n}` });
// FAULT_LONG=1 (npm run bench) runs more appends, so faults land later in longer files.
const APPENDS = process.env.FAULT_LONG ? 12 : 4;
// Each append: dataset write + fsync + journal write + fsync; two more for the probes.
const OPS = APPENDS * 4 + 2;

describe('fault: ENOSPC and EIO at every write and fsync of the store', function () {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-enospc-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const code of ['ENOSPC', 'EIO'] as const) {
    for (const mode of ['once', 'forever'] as const) {
      it(`${code} ${mode}, at each of ${OPS} operations: nothing acknowledged lost, storage errors, healed after`, async () => {
        let acked = 0;
        let refused = 0;
        for (let at = 1; at <= OPS; at++) {
          const ws = fs.mkdtempSync(path.join(dir, `${at}-`));
          const datasetPath = path.join(ws, 'data', 'finetuning_dataset.jsonl');
          const stateDir = path.join(ws, 'data', '.flywheel');
          const io = new FaultyIO(at, mode, code);
          const store = await DatasetStore.open({ datasetPath, stateDir, io });
          const acknowledged: string[] = [];
          for (let n = 0; n < APPENDS; n++) {
            try {
              acknowledged.push(...(await store.append([sample(n)])).appended);
            } catch (error) {
              refused++;
              assert.ok(error instanceof StoreError && error.kind === 'store-failed', `a storage error, got ${String(error)}`);
              const p = toProtocolError(error);
              assert.equal(p.code, ErrorCodes.Storage);
              assert.doesNotMatch(p.message, /internal/);
              assert.match(p.data.hint ?? '', /tries again by itself/);
              // While it lasts, the status bar says so, with the hint.
              const view = statusBarView({ kind: 'running' }, aStatus({ storage: { message: error.message, hint: error.hint } }));
              assert.equal(view.severity, 'error');
              assert.match(view.tooltip, /Storage fault: .*injected/);
              if (mode === 'once') await new Promise((r) => setTimeout(r, 210)); // let the next probe be due
            }
          }
          // The disk takes writes again: the next append heals the store, no restart.
          io.healed = true;
          await new Promise((r) => setTimeout(r, 210));
          const last = await store.append([sample(99)]);
          assert.deepEqual(last.appended, [sampleId(sample(99))], `healed after the fault at operation ${at}`);
          assert.equal(store.state, 'open');
          acknowledged.push(...last.appended);
          await store.close();
          // A fresh open reads every file, and finds every acknowledged sample.
          const again = await DatasetStore.open({ datasetPath, stateDir });
          const lost = acknowledged.filter((id) => !again.has(id));
          assert.deepEqual(lost, [], `acknowledged but lost (fault at operation ${at})`);
          assert.deepEqual(again.invalidLines(), [], 'no unreadable line');
          assert.equal(again.state, 'open');
          await again.close();
          acked += acknowledged.length;
          faultCounts.add({ acknowledgedLost: lost.length });
        }
        faultCounts.add({ storageFaults: OPS });
        console.log(`      ${code} ${mode}: ${OPS} fault points, ${acked} acknowledged, ${refused} refused with a storage error, acknowledged lost: 0, healed every time`);
      });
    }
  }

  it('the log writer never glues records together: a record cut short by ENOSPC stands alone on its line', () => {
    const file = path.join(dir, 'finetuning.log');
    const log = new Logger({ file, maxBytes: 1 << 20, keep: 1 });
    // The fault wrapper around the real fs.writeSync the logger calls: the 3rd record is written
    // half, then the disk is full for two calls, then it has room again.
    const nodeFs = createRequire(__filename)('node:fs') as { writeSync: typeof fs.writeSync };
    const real = nodeFs.writeSync;
    let calls = 0;
    (nodeFs as { writeSync: unknown }).writeSync = (fd: number, buffer: Buffer, offset = 0) => {
      calls++;
      if (calls === 3) return real(fd, buffer, offset, Math.floor((buffer.length - offset) / 2));
      if (calls === 4 || calls === 5) throw Object.assign(new Error('ENOSPC: injected, write'), { code: 'ENOSPC' });
      return real(fd, buffer, offset);
    };
    try {
      for (let i = 0; i < 6; i++) log.info('test.record', `record ${i}`);
    } finally {
      nodeFs.writeSync = real;
      log.close();
    }
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const parsed = lines.filter((l) => {
      try {
        JSON.parse(l);
        return true;
      } catch {
        return false;
      }
    });
    assert.equal(lines.length - parsed.length, 1, `one torn fragment, alone: ${lines.join(' | ')}`);
    for (const l of lines) assert.equal(l.split('{"seq"').length - 1 <= 1, true, `two records glued: ${l}`);
    assert.deepEqual(parsed.map((l) => JSON.parse(l).message), ['record 0', 'record 1', 'record 4', 'record 5'], 'the writer carries on once the disk has room');
  });
});
