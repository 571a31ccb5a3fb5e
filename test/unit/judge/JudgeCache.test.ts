import { strict as assert } from 'node:assert';
import { JudgeCache, type JudgeResultStore } from '../../../daemon/judge/JudgeCache';
import { OpenAIJudge } from '../../../daemon/judge/openai/OpenAIJudge';
import type { Judge, JudgeResult, Sample, TaskType } from '../../../daemon/judge/types';
import { FakeOpenAIServer } from '../../fixtures/openaiServer';

interface Call {
  sample: Sample;
  signal?: AbortSignal;
  resolve: (r: JudgeResult) => void;
  reject: (e: unknown) => void;
}

/** A judge whose calls stay pending until the test settles them; `auto` answers at once. */
class ControlledJudge implements Judge {
  readonly name = 'controlled';
  calls: Call[] = [];
  constructor(
    readonly version = 'v1',
    private readonly auto = true,
  ) {}
  judge(sample: Sample, _task: TaskType, signal?: AbortSignal): Promise<JudgeResult> {
    return new Promise((resolve, reject) => {
      this.calls.push({ sample, signal, resolve, reject });
      signal?.addEventListener('abort', () => reject(signal.reason));
      if (this.auto) resolve(resultFor(sample));
    });
  }
}

const resultFor = (s: Sample): JudgeResult => ({ scores: { q: s.output.length / 100 }, rationale: { q: `about ${s.output}` } });
const sample = (id: string): Sample => ({ input: `input ${id}`, output: `output ${id}` });
const keyOf = (s: Sample) => s.input;

class MapStore implements JudgeResultStore {
  map = new Map<string, JudgeResult>();
  gets = 0;
  async get(key: string) {
    this.gets++;
    return this.map.get(key);
  }
  async put(key: string, result: JudgeResult) {
    this.map.set(key, result);
  }
}

describe('JudgeCache', () => {
  it('answers a repeated sample from memory and keeps the inner judge name and version', async () => {
    const inner = new ControlledJudge();
    const cache = new JudgeCache(inner, { keyOf });
    assert.equal(cache.name, 'controlled');
    assert.equal(cache.version, 'v1');
    const first = await cache.judge(sample('a'), 'qa');
    const again = await cache.judge(sample('a'), 'qa');
    assert.deepEqual(again, first);
    assert.equal(inner.calls.length, 1);
    await cache.judge(sample('a'), 'summarization');
    assert.equal(inner.calls.length, 2, 'another task is another result');
  });

  it('hands out copies, so a caller cannot change the cached result', async () => {
    const cache = new JudgeCache(new ControlledJudge(), { keyOf });
    const r = await cache.judge(sample('a'), 'qa');
    r.scores.q = 99;
    assert.notEqual((await cache.judge(sample('a'), 'qa')).scores.q, 99);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const inner = new ControlledJudge();
    const cache = new JudgeCache(inner, { keyOf, maxEntries: 2 });
    await cache.judge(sample('a'), 'qa');
    await cache.judge(sample('b'), 'qa');
    await cache.judge(sample('a'), 'qa'); // a is now the most recent
    await cache.judge(sample('c'), 'qa'); // evicts b
    assert.equal(cache.size, 2);
    assert.equal(inner.calls.length, 3);
    await cache.judge(sample('a'), 'qa');
    assert.equal(inner.calls.length, 3, 'a stayed');
    await cache.judge(sample('b'), 'qa');
    assert.equal(inner.calls.length, 4, 'b was evicted');
  });

  it('shares one call between concurrent identical requests', async () => {
    const inner = new ControlledJudge('v1', false);
    const cache = new JudgeCache(inner, { keyOf });
    const p1 = cache.judge(sample('a'), 'qa');
    const p2 = cache.judge(sample('a'), 'qa');
    const p3 = cache.judge(sample('b'), 'qa');
    await new Promise((r) => setImmediate(r));
    assert.equal(inner.calls.length, 2);
    inner.calls[0].resolve(resultFor(sample('a')));
    inner.calls[1].resolve(resultFor(sample('b')));
    const [r1, r2, r3] = await Promise.all([p1, p2, p3]);
    assert.deepEqual(r1, r2);
    assert.notDeepEqual(r1, r3);
  });

  it('does not cache failures', async () => {
    const inner = new ControlledJudge('v1', false);
    const cache = new JudgeCache(inner, { keyOf });
    const failing = cache.judge(sample('a'), 'qa');
    await new Promise((r) => setImmediate(r));
    inner.calls[0].reject(new Error('server down'));
    await assert.rejects(failing, /server down/);
    const retry = cache.judge(sample('a'), 'qa');
    await new Promise((r) => setImmediate(r));
    assert.equal(inner.calls.length, 2);
    inner.calls[1].resolve(resultFor(sample('a')));
    await retry;
  });

  it('keeps the shared call going while one waiter is left, aborts it when none is', async () => {
    const inner = new ControlledJudge('v1', false);
    const cache = new JudgeCache(inner, { keyOf });
    const a = new AbortController();
    const b = new AbortController();
    const pa = cache.judge(sample('x'), 'qa', a.signal);
    const pb = cache.judge(sample('x'), 'qa', b.signal);
    await new Promise((r) => setImmediate(r));
    a.abort();
    await assert.rejects(pa, { name: 'AbortError' });
    assert.equal(inner.calls[0].signal?.aborted, false);
    b.abort();
    await assert.rejects(pb, { name: 'AbortError' });
    assert.equal(inner.calls[0].signal?.aborted, true);
    // A new request after everyone left starts afresh.
    const again = cache.judge(sample('x'), 'qa');
    await new Promise((r) => setImmediate(r));
    assert.equal(inner.calls.length, 2);
    inner.calls[1].resolve(resultFor(sample('x')));
    assert.deepEqual(await again, resultFor(sample('x')));
  });

  it('persists through the store, keyed by version, task and sample key', async () => {
    const store = new MapStore();
    const inner = new ControlledJudge('v1');
    await new JudgeCache(inner, { keyOf, store }).judge(sample('a'), 'qa');
    assert.deepEqual([...store.map.keys()], ['v1|qa|input a']);

    const restarted = new JudgeCache(inner, { keyOf, store });
    assert.deepEqual(await restarted.judge(sample('a'), 'qa'), resultFor(sample('a')));
    assert.equal(inner.calls.length, 1, 'answered by the store');
    await restarted.judge(sample('a'), 'qa');
    assert.equal(store.gets, 2, 'then by memory');

    const newVersion = new ControlledJudge('v2');
    await new JudgeCache(newVersion, { keyOf, store }).judge(sample('a'), 'qa');
    assert.equal(newVersion.calls.length, 1, 'a new judge version judges again');
  });

  it('passes store errors on to the caller', async () => {
    const broken: JudgeResultStore = {
      get: () => {
        throw new Error('EIO reading assessments');
      },
      put: () => {},
    };
    await assert.rejects(new JudgeCache(new ControlledJudge(), { keyOf, store: broken }).judge(sample('a'), 'qa'), /EIO/);
  });

  describe('over the OpenAI judge', () => {
    let server: FakeOpenAIServer;
    beforeEach(async () => {
      server = await FakeOpenAIServer.start({ delayMs: 10 });
    });
    afterEach(() => server.close());

    // Sampled digits (no logprob weighting), so the fake server's "5" reads as exactly 1.
    it('a hit sends no request, and concurrent identical calls send one', async () => {
      const judge = new OpenAIJudge({ baseUrl: server.baseUrl, model: 'fake-judge', timeoutMs: 2000, maxRetries: 0, concurrency: 4, samples: 1, logprobs: false });
      const cache = new JudgeCache(judge, { keyOf });
      const s = { input: 'The council met on Monday.', output: 'The council met.' };
      const [r1, r2, r3] = await Promise.all([cache.judge(s, 'summarization'), cache.judge(s, 'summarization'), cache.judge(s, 'summarization')]);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(r1, r2);
      assert.deepEqual(r1, r3);
      assert.equal(r1.scores.consistency, 1);
      await cache.judge(s, 'summarization');
      assert.equal(server.requests.length, 1);
    });
  });
});
