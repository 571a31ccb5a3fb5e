import { strict as assert } from 'node:assert';
import { criteriaFor } from '../../../daemon/judge/criteria';
import { backoffDelay, parseRetryAfter, sleep } from '../../../daemon/judge/openai/backoff';
import { isShapeRejection, OutputError } from '../../../daemon/judge/openai/errors';
import { displayUrl, HttpFailure, serverError } from '../../../daemon/judge/openai/http';
import { expectedDigit, scoreDigitIndex, weightScores } from '../../../daemon/judge/openai/logprobs';
import { aggregate, extractJsonObject, normalizeScore, parseChoiceContent, type TokenLogprob } from '../../../daemon/judge/openai/parse';
import { downgrade, type Capabilities } from '../../../daemon/judge/openai/requestShape';
import { Semaphore } from '../../../daemon/judge/openai/Semaphore';

const QA = criteriaFor('qa');
const full = (s: number) => Object.fromEntries(QA.map((c) => [c.name, { score: s, reason: `r${s}` }]));

describe('openai judge: answer parsing', () => {
  it('extracts the JSON object from prose, fences and thinking', () => {
    assert.deepEqual(extractJsonObject('{"a": 1}'), { a: 1 });
    assert.deepEqual(extractJsonObject('Sure!\n```json\n{"a": {"b": "}{"}}\n```\nDone.'), { a: { b: '}{' } });
    assert.deepEqual(extractJsonObject('<think>maybe {x} or {"y": 2}</think>{"a": 3}'), { a: 3 });
    assert.deepEqual(extractJsonObject('{broken} then {"a": "say \\"hi\\""}'), { a: 'say "hi"' });
    assert.equal(extractJsonObject('no json here'), undefined);
    assert.equal(extractJsonObject('[1, 2]'), undefined);
    assert.equal(extractJsonObject('{"a": 1'), undefined);
  });

  it('reads every criterion, leniently about case, bare numbers and numeric strings', () => {
    const parsed = parseChoiceContent(JSON.stringify({ Correctness: { score: 5, reason: ' right. ' }, groundedness: 3, completeness: { score: '4' }, fluency: { score: 2, reason: 'ok' } }), QA);
    assert.deepEqual(parsed.scores, { correctness: 5, groundedness: 3, completeness: 4, fluency: 2 });
    assert.deepEqual(parsed.reasons, { correctness: 'right.', groundedness: '', completeness: '', fluency: 'ok' });
  });

  it('clamps scores outside 1..5', () => {
    const parsed = parseChoiceContent(JSON.stringify({ ...full(3), correctness: { score: 0, reason: '' }, fluency: { score: 9, reason: '' } }), QA);
    assert.equal(parsed.scores.correctness, 1);
    assert.equal(parsed.scores.fluency, 5);
  });

  it('names a missing criterion or a score that is not a number', () => {
    const { groundedness: _dropped, ...missing } = full(3);
    assert.throws(() => parseChoiceContent(JSON.stringify(missing), QA), (e: unknown) => e instanceof OutputError && e.criterion === 'groundedness');
    const bad = { ...full(3), fluency: { score: 'good', reason: '' } };
    assert.throws(() => parseChoiceContent(JSON.stringify(bad), QA), /criterion "fluency" has no numeric score/);
    assert.throws(() => parseChoiceContent('{"fluency": {"score": null}}', QA), OutputError);
    assert.throws(() => parseChoiceContent('not json', QA), /no JSON object/);
  });

  it('normalizes 1..5 to 0..1', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(normalizeScore), [0, 0.25, 0.5, 0.75, 1]);
    assert.equal(normalizeScore(-3), 0);
    assert.equal(normalizeScore(8), 1);
  });

  it('averages choices and keeps the reason nearest the average', () => {
    const a = parseChoiceContent(JSON.stringify(full(5)), QA);
    const b = parseChoiceContent(JSON.stringify(full(4)), QA);
    const c = parseChoiceContent(JSON.stringify(full(4)), QA);
    const r = aggregate([a, b, c], QA);
    assert.ok(Math.abs(r.scores.fluency - (13 / 3 - 1) / 4) < 1e-12);
    assert.equal(r.rationale.fluency, 'r4');
    assert.throws(() => aggregate([], QA), OutputError);
  });
});

describe('openai judge: logprob weighting', () => {
  const criteria = criteriaFor('classification');
  const content = '{"correctness": {"score": 4, "reason": "élan 5 ok"}, "format": {"score":5,"reason":""}, "confidence": {"score": 2, "reason": "x"}}';
  /** One token per character (bytes from UTF-8), with top_logprobs for score digits. */
  function tokens(dist: Record<string, Record<string, number>>): TokenLogprob[] {
    return [...content].map((ch, i) => ({
      token: ch,
      logprob: 0,
      bytes: [...Buffer.from(ch)],
      top_logprobs: dist[String(i)] ? Object.entries(dist[String(i)]).map(([token, p]) => ({ token, logprob: Math.log(p), bytes: null })) : [],
    }));
  }

  it('finds each score digit, not digits inside reasons', () => {
    assert.equal(content[scoreDigitIndex(content, 'correctness')], '4');
    assert.equal(content[scoreDigitIndex(content, 'format')], '5');
    assert.equal(scoreDigitIndex(content, 'confidence'), content.indexOf('2'));
    assert.equal(scoreDigitIndex(content, 'missing'), -1);
  });

  it('replaces sampled digits by their expected value, across multibyte text', () => {
    const parsed = parseChoiceContent(content, criteria);
    const at = (name: string) => String(scoreDigitIndex(content, name));
    const weighted = weightScores(content, tokens({ [at('correctness')]: { '4': 0.5, ' 3': 0.5 }, [at('confidence')]: { '2': 0.8, '1': 0.1, x: 0.1 } }), parsed, criteria);
    assert.equal(weighted.scores.correctness, 3.5);
    assert.ok(Math.abs(weighted.scores.confidence - 1.7 / 0.9) < 1e-12);
    assert.equal(weighted.scores.format, 5, 'no top_logprobs: sampled score kept');
    assert.deepEqual(weighted.reasons, parsed.reasons);
  });

  it('keeps sampled scores when tokens do not line up with the text', () => {
    const parsed = parseChoiceContent(content, criteria);
    const short = tokens({}).slice(1);
    assert.deepEqual(weightScores(content, short, parsed, criteria), parsed);
  });

  it('ignores non-digit alternatives', () => {
    assert.equal(expectedDigit({ token: '4', logprob: 0, top_logprobs: [{ token: 'four', logprob: -0.1 }] }), undefined);
    assert.equal(expectedDigit({ token: '4', logprob: 0, top_logprobs: [{ token: '4', logprob: -0.1 }, { token: '6', logprob: -0.2 }] }), 4);
  });
});

describe('openai judge: transport helpers', () => {
  it('backs off exponentially with jitter, capped', () => {
    const o = { baseMs: 100, maxMs: 1000, random: () => 1 };
    assert.deepEqual([0, 1, 2, 3, 4].map((a) => backoffDelay(a, o)), [100, 200, 400, 800, 1000]);
    assert.equal(backoffDelay(2, { ...o, random: () => 0 }), 200);
    assert.equal(backoffDelay(500, o), 1000);
  });

  it('reads Retry-After as seconds, an HTTP date, or retry-after-ms', () => {
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '2' })), 2000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '0.5' })), 500);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '120', 'retry-after': '9' })), 120);
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), now), 3000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }), now), 0);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'soon' })), undefined);
    assert.equal(parseRetryAfter(new Headers()), undefined);
  });

  it('sleep rejects with the abort reason', async () => {
    const ac = new AbortController();
    const p = sleep(60_000, ac.signal);
    ac.abort(new Error('stop'));
    await assert.rejects(p, /stop/);
  });

  it('reads error bodies of the usual servers', () => {
    assert.deepEqual(serverError('{"error":{"message":"m","code":"c"}}'), { message: 'm', code: 'c' });
    assert.deepEqual(serverError('{"object":"error","message":"m","type":"BadRequestError"}'), { message: 'm', code: 'BadRequestError' });
    assert.deepEqual(serverError('{"error":"model not found"}'), { message: 'model not found' });
    assert.deepEqual(serverError('{"detail":"Not Found"}'), { message: 'Not Found', code: undefined });
    // FastAPI's 422 for a field it does not accept names the field
    assert.deepEqual(serverError('{"detail":[{"type":"literal_error","loc":["body","response_format","type"],"msg":"Input should be \'text\' or \'json_object\'"}]}'), {
      message: "body.response_format.type: Input should be 'text' or 'json_object'",
      code: undefined,
    });
    assert.deepEqual(serverError('Bad Gateway'), { message: 'Bad Gateway' });
    assert.deepEqual(serverError(''), {});
  });

  it('shows URLs without credentials or query', () => {
    assert.equal(displayUrl('https://u:p@example.com/v1/?api-key=k'), 'https://example.com/v1');
    assert.equal(displayUrl('nonsense'), '<invalid url>');
  });

  it('tells a rejected request shape from a failing server', () => {
    const status = (code: number, message: string) => new HttpFailure('status', `HTTP ${code}`, code, undefined, message);
    assert.equal(isShapeRejection(status(400, 'Bad Request')), true);
    assert.equal(isShapeRejection(status(422, 'body.response_format.type: Input should be ...')), true);
    // the llama-cpp-python server wraps its validation errors in a 500
    assert.equal(isShapeRejection(status(500, "1 validation error: {'loc': ('body', 'response_format', 'type')}")), true);
    assert.equal(isShapeRejection(status(500, 'CUDA out of memory')), false);
    assert.equal(isShapeRejection(status(503, 'loading model')), false);
    assert.equal(isShapeRejection(status(400, "This model's maximum context length is 8192 tokens")), false);
    assert.equal(isShapeRejection(new HttpFailure('timeout', 'no answer')), false);
  });

  it('steps down the request shape: the named culprit first, else the format', () => {
    const all: Capabilities = { format: 'json_schema', logprobs: true, multiChoice: true };
    assert.deepEqual(downgrade(all, 'logprobs are not supported'), { ...all, logprobs: false });
    assert.deepEqual(downgrade(all, 'Only one completion choice is allowed'), { ...all, multiChoice: false });
    assert.deepEqual(downgrade(all, "Unknown response_format type 'json_schema'"), { ...all, format: 'json_object_schema' });
    assert.deepEqual(downgrade(all, 'Bad Request'), { ...all, format: 'json_object_schema' });
    assert.deepEqual(downgrade({ ...all, format: 'json_object_schema' }, "'schema' is not allowed"), { ...all, format: 'json_object' });
    const plain: Capabilities = { format: 'text', logprobs: false, multiChoice: true };
    assert.deepEqual(downgrade(plain, 'Bad Request'), { ...plain, multiChoice: false });
    assert.equal(downgrade({ format: 'text', logprobs: false, multiChoice: false }, 'Bad Request'), undefined);
  });
});

describe('Semaphore', () => {
  it('grants up to the limit, then in order as slots free', async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    const p3 = s.acquire().then((r) => (order.push(3), r));
    const p4 = s.acquire().then((r) => (order.push(4), r));
    assert.equal(s.waiting, 2);
    r1();
    r1(); // a second release is ignored
    const r3 = await p3;
    assert.equal(s.inUse, 2);
    r2();
    const r4 = await p4;
    assert.deepEqual(order, [3, 4]);
    r3();
    r4();
    assert.equal(s.inUse, 0);
  });

  it('drops an aborted waiter from the queue', async () => {
    const s = new Semaphore(1);
    const r1 = await s.acquire();
    const ac = new AbortController();
    const waiting = s.acquire(ac.signal);
    ac.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    assert.equal(s.waiting, 0);
    r1();
    assert.equal(s.inUse, 0);
  });

  it('refuses a limit below 1', () => {
    assert.throws(() => new Semaphore(0), RangeError);
  });
});
