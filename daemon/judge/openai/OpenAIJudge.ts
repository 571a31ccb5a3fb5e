// The `openai` judge provider: any OpenAI-compatible chat-completions server (OpenAI, vLLM,
// llama.cpp, Ollama, proxies) scores each criterion 1..5 following the G-Eval prompt.
import { criteriaFor } from '../criteria';
import { buildJudgeMessages, PROMPT_VERSION, type ChatMessage } from '../prompts';
import type { Criterion, Judge, JudgeResult, Sample, TaskType } from '../types';
import { abortReason, backoffDelay, sleep } from './backoff';
import { isRetryable, isShapeRejection, OutputError, toJudgeError, type ErrorContext } from './errors';
import { displayUrl, HttpFailure, postJson } from './http';
import { weightScores } from './logprobs';
import { aggregate, completionSchema, parseChoiceContent, type ChoiceScores, type CompletionChoice } from './parse';
import { parseOptions, type OpenAIJudgeOptions, type Settings } from './options';
import { buildBody, downgrade, type Capabilities } from './requestShape';
import { Semaphore } from './Semaphore';

export type { OpenAIJudgeOptions } from './options';

export class OpenAIJudge implements Judge {
  readonly name: string;
  readonly version: string;
  private readonly o: Settings;
  private readonly url: string;
  private readonly semaphore: Semaphore;
  private readonly fetchImpl: typeof fetch;
  private readonly random: () => number;
  private readonly log: (line: string) => void;
  /** The request shape that last worked; only ever steps down. */
  private caps: Capabilities;

  constructor(options: OpenAIJudgeOptions) {
    this.o = parseOptions(options);
    this.url = `${this.o.baseUrl}/chat/completions`;
    this.semaphore = new Semaphore(this.o.concurrency);
    this.fetchImpl = options.fetch ?? fetch;
    this.random = options.random ?? Math.random;
    this.log = options.log ?? (() => {});
    this.caps = { format: 'json_schema', logprobs: this.o.logprobs, multiChoice: this.o.samples > 1 };
    this.name = `openai:${this.o.model}`;
    const scoring = [this.o.samples > 1 ? `n${this.o.samples}@t${this.o.sampleTemperature}` : '', this.o.logprobs ? 'logprobs' : ''].filter(Boolean);
    this.version = [PROMPT_VERSION, this.name, ...scoring].join('/');
  }

  /** The request shape in use (after any fallbacks); for status and tests. */
  get capabilities(): Readonly<Capabilities> {
    return this.caps;
  }

  async judge(sample: Sample, task: TaskType, signal?: AbortSignal): Promise<JudgeResult> {
    if (signal?.aborted) throw abortReason(signal);
    const criteria = criteriaFor(task);
    const messages = buildJudgeMessages(sample, task, criteria);
    for (let attempt = 1; ; attempt++) {
      try {
        return aggregate(await this.collect(messages, criteria, signal), criteria);
      } catch (e) {
        if (signal?.aborted) throw abortReason(signal);
        if (!isRetryable(e) || attempt > this.o.maxRetries) throw toJudgeError(e, this.context(attempt));
        const wait =
          e instanceof HttpFailure && e.retryAfterMs !== undefined
            ? Math.min(e.retryAfterMs, this.o.maxRetryAfterMs)
            : backoffDelay(attempt - 1, { baseMs: this.o.backoffBaseMs, maxMs: this.o.backoffMaxMs, random: this.random });
        this.log(`judge ${this.name}: attempt ${attempt} failed (${(e as Error).message}); retrying in ${wait} ms`);
        await sleep(wait, signal);
      }
    }
  }

  private context(attempts: number): ErrorContext {
    return {
      url: displayUrl(this.o.baseUrl),
      model: this.o.model,
      apiKeyEnv: this.o.apiKeyEnv,
      apiKeySent: Boolean(this.o.apiKey),
      timeoutMs: this.o.timeoutMs,
      attempts,
    };
  }

  /** `samples` choices scored, stepping down the request shape when the server rejects it; throws when none is usable. */
  private async collect(messages: ChatMessage[], criteria: readonly Criterion[], signal?: AbortSignal): Promise<ChoiceScores[]> {
    let caps = this.caps;
    const received: CompletionChoice[] = [];
    while (received.length < this.o.samples) {
      const want = this.o.samples - received.length;
      let batch: CompletionChoice[];
      try {
        batch =
          caps.multiChoice || want === 1
            ? await this.request(messages, criteria, caps, want, signal)
            : await this.requestEach(messages, criteria, caps, want, signal);
      } catch (e) {
        if (!(e instanceof HttpFailure) || !isShapeRejection(e)) throw e;
        const next = downgrade(caps, e.serverMessage ?? '');
        if (!next) throw e;
        this.log(`judge ${this.name}: server rejected ${describe(caps)} (${e.message}); trying ${describe(next)}`);
        caps = this.learn(caps, next);
        continue;
      }
      if (batch.length === 0) throw new OutputError('the server returned no choices');
      if (caps.multiChoice && batch.length < want) caps = this.learn(caps, { ...caps, multiChoice: false });
      received.push(...batch.slice(0, want));
    }

    const usable: ChoiceScores[] = [];
    let problem: unknown;
    for (const choice of received) {
      try {
        usable.push(this.readChoice(choice, criteria, caps));
      } catch (e) {
        problem ??= e;
      }
    }
    if (usable.length === 0) throw problem;
    return usable;
  }

  /**
   * Remembers a step down for later calls and retries as soon as the server refuses a shape: it will
   * refuse it again, even if the next request fails for another reason (a timeout, a crash).
   * Unless another call already moved on.
   */
  private learn(from: Capabilities, to: Capabilities): Capabilities {
    if (this.caps === from) this.caps = to;
    return to;
  }

  /** `count` single-choice requests in parallel; the first failure cancels the rest. */
  private async requestEach(messages: ChatMessage[], criteria: readonly Criterion[], caps: Capabilities, count: number, signal?: AbortSignal): Promise<CompletionChoice[]> {
    const siblings = new AbortController();
    const both = signal ? AbortSignal.any([signal, siblings.signal]) : siblings.signal;
    try {
      return (await Promise.all(Array.from({ length: count }, () => this.request(messages, criteria, caps, 1, both)))).flat();
    } catch (e) {
      siblings.abort();
      throw e;
    }
  }

  private async request(messages: ChatMessage[], criteria: readonly Criterion[], caps: Capabilities, n: number, signal?: AbortSignal): Promise<CompletionChoice[]> {
    const body = buildBody({
      model: this.o.model,
      messages,
      criteria,
      caps,
      n,
      temperature: this.o.samples > 1 ? this.o.sampleTemperature : 0,
      maxTokens: this.o.maxTokens,
    });
    const json = await this.semaphore.run(
      () => postJson(this.url, body, { apiKey: this.o.apiKey, timeoutMs: this.o.timeoutMs, signal, fetch: this.fetchImpl }),
      signal,
    );
    const parsed = completionSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpFailure('invalid_body', `the answer is not a chat completion (${issue.path.join('.') || 'body'}: ${issue.message})`);
    }
    return parsed.data.choices;
  }

  private readChoice(choice: CompletionChoice, criteria: readonly Criterion[], caps: Capabilities): ChoiceScores {
    if (choice.message.refusal) {
      throw new OutputError(
        `the model refused: ${choice.message.refusal.slice(0, 200)}`,
        undefined,
        true,
        'the judge model declined this sample (content policy?); use another judge model, or review the sample by hand',
      );
    }
    const content = choice.message.content ?? '';
    let scores: ChoiceScores;
    try {
      scores = parseChoiceContent(content, criteria);
    } catch (e) {
      if (choice.finish_reason === 'length') {
        throw new OutputError('the answer was cut off at the token limit', undefined, false, 'raise the judge max_tokens, or use a model that follows the one-sentence reasons');
      }
      throw e;
    }
    const tokens = choice.logprobs?.content;
    return caps.logprobs && tokens ? weightScores(content, tokens, scores, criteria) : scores;
  }
}

function describe(caps: Capabilities): string {
  const format = caps.format === 'json_object_schema' ? 'json_object + schema' : caps.format;
  const parts = [caps.format === 'text' ? 'plain text' : `response_format ${format}`];
  if (caps.logprobs) parts.push('logprobs');
  if (caps.multiChoice) parts.push('n > 1');
  return parts.join(' + ');
}
