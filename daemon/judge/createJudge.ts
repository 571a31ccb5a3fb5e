// Picks the judge provider named in config/models.yml (judge.provider) and puts its calibration
// in front of it: the workspace's own (fitted by `finetune judge calibrate`) when there is one
// for the task, else the one shipped with the provider, unless judge.calibration is "none".
import type { Config } from '../config';
import { treatAsSecret } from '../errors/redact';
import type { Calibration } from './calibration/Calibration';
import { CalibratedJudge } from './calibration/CalibratedJudge';
import { HeuristicJudge, SHIPPED_CALIBRATIONS } from './heuristic/HeuristicJudge';
import { OpenAIJudge } from './openai/OpenAIJudge';
import type { Judge } from './types';

/** The provider's judge with raw, uncalibrated scores. */
export function createRawJudge(config: Config['judge'], env: NodeJS.ProcessEnv = process.env): Judge {
  if (config.provider === 'openai') {
    const o = config.openai;
    treatAsSecret(o.api_key_env); // whatever its name, its value is never shown in an error
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

export function createJudge(config: Config['judge'], env: NodeJS.ProcessEnv = process.env, own: readonly Calibration[] = []): Judge {
  const raw = createRawJudge(config, env);
  if (config.calibration === 'none') return raw;
  const shipped = raw instanceof HeuristicJudge ? SHIPPED_CALIBRATIONS : [];
  // Later entries win per task: the workspace's own calibration over the shipped one.
  const byTask = new Map([...shipped, ...own].filter((c) => c.judge === raw.version).map((c) => [c.task, c]));
  return byTask.size ? new CalibratedJudge(raw, [...byTask.values()]) : raw;
}
