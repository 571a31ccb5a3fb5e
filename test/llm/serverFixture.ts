// One real llama.cpp server per describe block, and judges pointed at it that log into `logs`
// (emptied before each test). Call inside `describe`: it registers the hooks.
import { OpenAIJudge, type OpenAIJudgeOptions } from '../../daemon/judge/openai/OpenAIJudge';
import { LlamaServer, MODEL_ALIAS } from './LlamaServer';
import { requireLlmEnv } from './llmEnv';

export interface ServerFixture {
  readonly server: LlamaServer;
  readonly logs: string[];
  judge(options?: Partial<OpenAIJudgeOptions>): OpenAIJudge;
}

export function useLlamaServer(): ServerFixture {
  let server: LlamaServer | undefined;
  let logs: string[] = [];
  before(async function () {
    server = await LlamaServer.start(await requireLlmEnv(this));
  });
  after(() => server?.stop());
  beforeEach(() => (logs = []));
  return {
    get server(): LlamaServer {
      if (!server) throw new Error('the llama.cpp server has not started');
      return server;
    },
    get logs(): string[] {
      return logs;
    },
    judge(o = {}) {
      return new OpenAIJudge({ baseUrl: this.server.baseUrl, model: MODEL_ALIAS, timeoutMs: 30_000, maxRetries: 2, concurrency: 2, samples: 1, log: (l) => logs.push(l), ...o });
    },
  };
}
