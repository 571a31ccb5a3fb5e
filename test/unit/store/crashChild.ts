// Child process for DatasetStore.crash.test.ts: appends samples through DatasetStore as fast as it
// can from several concurrent callers, printing "send <ids>" before each append and "ack <ids>"
// once it resolved. The parent kills it with SIGKILL at a random moment.
import { writeSync } from 'node:fs';
import { DatasetStore } from '../../../daemon/store/DatasetStore';
import { sampleId } from '../../../daemon/store/sampleId';

const [datasetPath, stateDir, round, seedText, bigText] = process.argv.slice(2);
const bigBatches = bigText === 'big';
let bigSent = false;
let seed = Number(seedText) >>> 0;
const random = () => {
  // mulberry32: reproducible from the seed the parent prints
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// Each line is out before the child goes on: "send" must be seen before the append can land.
function say(text: string): void {
  const bytes = Buffer.from(`${text}\n`);
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(1, bytes, done);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error; // the parent is slow to read
    }
  }
}

async function worker(store: DatasetStore, name: string): Promise<void> {
  for (let n = 0; ; n++) {
    // In "big" rounds, now and then a batch of big samples: its write spans many megabytes, and
    // "send!" tells the parent, which kills once the file starts growing, to tear that write.
    const big = bigBatches && !bigSent && random() < 0.1;
    bigSent ||= big; // one per child: the parent kills it during that write anyway
    const size = big ? 8 : 1 + Math.floor(random() * 6);
    const batch = Array.from({ length: size }, (_, k) => {
      const tag = `${round}.${name}.${n}.${k}`;
      const padding = big ? 'x'.repeat(400_000 + Math.floor(random() * 500_000)) : '';
      return { input: `sample ${tag}`, output: `output ${tag} ${padding}` };
    });
    const ids = batch.map((s) => sampleId(s)).join(' ');
    say(`${big ? 'send!' : 'send'} ${ids}`);
    await store.append(batch);
    say(`ack ${ids}`);
  }
}

async function main(): Promise<void> {
  const store = await DatasetStore.open({ datasetPath, stateDir });
  say('ready');
  await Promise.all(['a', 'b', 'c', 'd'].map((name) => worker(store, name)));
}

main().catch((error) => {
  say(`error ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
