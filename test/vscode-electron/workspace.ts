// A small flywheel workspace for the suite: a config with a threshold the data does not reach,
// the heuristic judge, and a dataset file of good and flawed summaries.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DATASET = 'data/app.jsonl';
export const THRESHOLD = 50;

const GOOD = [
  ['The city council approved a new budget on Tuesday that raises school funding by five percent and repairs two bridges.', 'The council approved a budget raising school funding by five percent and repairing two bridges.'],
  ['Heavy rain flooded several streets in the old town overnight, and the fire brigade pumped water from dozens of cellars.', 'Overnight rain flooded old-town streets; firefighters pumped out dozens of cellars.'],
  ['The library will extend its opening hours to ten in the evening from next month after a survey of its readers.', 'After a reader survey, the library will open until 10 pm from next month.'],
];
const FLAWED = [
  ['The museum reopened after renovation with a new wing for modern art and a cafe on the roof.', 'The the the museum museum.'],
  ['A local bakery won the regional prize for its sourdough bread for the third year in a row.', 'Stock markets fell sharply in Tokyo.'],
];

export function makeWorkspace(dir: string): string {
  fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'config', 'models.yml'),
    [
      'finetuning:',
      '  enabled: true',
      `  threshold: ${THRESHOLD}`,
      '  base_model: tiny-random-mistral',
      '  runner: local',
      'judge:',
      '  provider: heuristic',
      'metrics:',
      '  port: 0',
      '',
    ].join('\n'),
  );
  const lines = [...GOOD, ...FLAWED].map(([input, output]) => JSON.stringify({ input, output }));
  fs.writeFileSync(path.join(dir, ...DATASET.split('/')), lines.join('\n') + '\n');
  return dir;
}
