// The demo workspace's config/models.yml: embedded defaults, a threshold that the generated samples
// reach (the default gate keeps about a third of the good ones: it is strict on purpose), and the
// tiny built-in model so a laptop CPU trains it in about a minute.
export const DEMO_SEED = 2026;
/** At most this many samples are streamed; the demo stops streaming when the threshold is reached. */
export const DEMO_SAMPLES = 400;
export const DEMO_THRESHOLD = 48;

export function demoConfig(): string {
  return [
    '# Written by npm run demo.',
    'finetuning:',
    '  enabled: true',
    `  threshold: ${DEMO_THRESHOLD}`,
    '  base_model: tiny-random-mistral',
    '  runner: auto              # docker when an engine answers, else local',
    '  method: full              # the tiny model is small enough to train every weight',
    '  batch_size: 8',
    '  gradient_accumulation_steps: 1',
    '  learning_rate: 2e-3       # a tiny random model needs a large step; 2e-5 suits a 7B model',
    '  num_epochs: 6',
    '  max_length: 384',
    '  eval_split: 0.15',
    'judge:',
    '  provider: heuristic',
    '  min_average: 0.8',
    'metrics:',
    '  port: 0                   # any free port, shown at start',
    '',
  ].join('\n');
}
