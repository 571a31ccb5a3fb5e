// kill -9 during ingest, many times: every acknowledged sample must survive, and nothing may
// appear that was never sent. (SIGKILL keeps the page cache; power loss is a separate matter.)
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatasetStore } from '../../../daemon/store/DatasetStore';

const ROUNDS = 20;
const CHILD = path.join(__dirname, 'crashChild.ts');

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Round {
  sent: string[];
  acked: string[];
}

/** Kill once the file has grown by a megabyte: inside the batch's multi-megabyte write. */
function killMidWrite(child: ChildProcess, file: string): void {
  const size = () => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  const start = size();
  const deadline = Date.now() + 2000;
  while (size() < start + 1024 * 1024 && Date.now() < deadline); // busy-wait: milliseconds matter here
  child.kill('SIGKILL');
}

/**
 * Start the child, wait for "ready", let it append for up to `runMs`, SIGKILL it, collect what it
 * said. With `killOnBigSend`, kill inside the write of the first multi-megabyte batch it
 * announces, to leave a torn tail.
 */
function runChild(datasetPath: string, stateDir: string, round: number, seed: number, runMs: number, killOnBigSend: boolean): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), CHILD, datasetPath, stateDir, String(round), String(seed), killOnBigSend ? 'big' : 'small'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result: Round = { sent: [], acked: [] };
    let buffered = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (data: Buffer) => {
      buffered += data.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const text of lines) {
        const [word, ...ids] = text.split(' ');
        switch (word) {
          case 'ready':
            killTimer = setTimeout(() => child.kill('SIGKILL'), runMs);
            break;
          case 'send':
            result.sent.push(...ids);
            break;
          case 'send!':
            result.sent.push(...ids);
            if (killOnBigSend) killMidWrite(child, datasetPath);
            break;
          case 'ack':
            result.acked.push(...ids);
            break;
          default:
            reject(new Error(`child said: ${text}`));
        }
      }
    });
    // 'close' comes after stdout is drained, so every line the child wrote has been seen.
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve(result);
    });
  });
}

describe('store/DatasetStore under kill -9', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`acknowledged ⊆ recovered ⊆ sent over ${ROUNDS} SIGKILLs at random moments`, async () => {
    const seed = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = mulberry32(seed);
    const datasetPath = path.join(dir, 'data', 'finetuning_dataset.jsonl');
    const stateDir = path.join(dir, '.finetune');
    const sent = new Set<string>();
    const acked = new Set<string>();
    let tornTails = 0;
    let recoveredCount = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const runMs = Math.floor(random() * 200);
      const t0 = Date.now();
      // Odd rounds aim at a torn tail: they end inside a big write (or after 600 ms at most).
      const aimAtTear = round % 2 === 1;
      const said = await runChild(datasetPath, stateDir, round, seed + round, aimAtTear ? 600 : runMs, aimAtTear);
      said.sent.forEach((id) => sent.add(id));
      said.acked.forEach((id) => acked.add(id));

      const store = await DatasetStore.open({ datasetPath, stateDir });
      const context = `round ${round}, seed ${seed} (CRASH_SEED=${seed} repeats the random choices; kill timing still varies)`;
      tornTails += store.setAside.length;
      assert.equal(store.state, 'open', `${context}: ${store.error?.message}`);
      assert.deepEqual(store.invalidLines(), [], `${context}: only a torn tail may be damaged, and it was set aside`);
      assert.equal(store.duplicateLines, 0, context);
      const recovered = new Set(store.ids());
      for (const id of acked) assert.ok(recovered.has(id), `${context}: acknowledged sample ${id} was lost`);
      for (const id of recovered) assert.ok(sent.has(id), `${context}: ${id} was recovered but never sent`);
      recoveredCount = recovered.size;
      await store.close();
      if (process.env.CRASH_VERBOSE) console.log(`round ${round}: ${Date.now() - t0} ms, ${fs.existsSync(datasetPath) ? fs.statSync(datasetPath).size : 0} bytes`);
    }
    assert.ok(acked.size > 0, 'the child acknowledged something');
    console.log(`      ${ROUNDS} kill -9 rounds (seed ${seed}): ${sent.size} sent, ${acked.size} acknowledged, ${recoveredCount} recovered, 0 acknowledged lost, ${tornTails} torn tails set aside`);
  });
});
