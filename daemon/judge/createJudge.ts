// Picks the judge provider named in config/models.yml (judge.provider).
import type { Config } from '../config';
import { HeuristicJudge } from './heuristic/HeuristicJudge';
import { OpenAIJudge } from './openai/OpenAIJudge';
import type { Judge } from './types';

export function createJudge(config: Config['judge'], env: NodeJS.ProcessEnv = process.env): Judge {
  if (config.provider === 'openai') {
    const o = config.openai;
    return new OpenAIJudge({
      baseUrl: o.base_url,
      model: o.model,
      apiKey: env[o.api_key_env],
      apiKeyEnv: o.api_key_env,
      timeoutMs: o.timeout_ms,
      maxRetries: o.max_retries,
      concurrency: o.concurrency,
      samples: o.samples,
    });
  }
  return new HeuristicJudge();
}
