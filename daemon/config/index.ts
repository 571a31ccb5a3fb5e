// Public surface of the config module (config/models.yml).
export { ConfigError, formatIssue, type ConfigIssue } from './ConfigError';
export { ConfigWatcher, type ConfigWatcherOptions, type Disposable, type Event } from './ConfigWatcher';
export { CONFIG_FILE, configPath, displayPath, formatPath, loadConfig, parseConfig, readConfigText } from './load';
export {
  ConfigSchema,
  DEFAULT_BASE_MODELS,
  DEFAULT_CONFIG,
  DEFAULT_FLOORS,
  floorsFor,
  JUDGE_PROVIDERS,
  METHODS,
  RUNNERS,
  TASKS,
  defaultConfig,
  describeValue,
  knownKeysAt,
  parseByteSize,
  type Config,
  type DatasetConfig,
  type DockerConfig,
  type FinetuningConfig,
  type GateConfig,
  type IntegrationConfig,
  type JudgeConfig,
  type LogsConfig,
  type LoraConfig,
  type MetricsConfig,
  type OpenAIJudgeConfig,
} from './schema';
