// The assessments journal with its briefs in memory and saved in state.db: a start with nothing
// changed reads no record, an append is read on its own, anything else (or a damaged saved state)
// reads the journal in full, and whichever way it opened, every sample reads the same.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { AssessmentBook } from '../../../daemon/assess/AssessmentBook';
import type { Assessment } from '../../../daemon/protocol';
import { sampleId } from '../../../daemon/store/sampleId';
import { recordingLogger } from '../store/helpers';

let seed = 5;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

/** An assessment of sample n, in one of a few shapes (judge versions, with or without raw scores, another task's criteria). */
function assessment(n: number, judgeVersion = `v${n % 3}`): Assessment {
  const names = n % 5 === 0 ? ['relevance', 'faithfulness'] : ['coherence', 'consistency', 'fluency', 'relevance'];
  const scores = Object.fromEntries(names.map((name) => [name, rand()]));
  const raw = n % 2 === 0 ? Object.fromEntries(names.map((name) => [name, rand()])) : undefined;
  return {
    id: n % 7 === 0 ? `hand-written ${n}` : sampleId({ input: `in ${n}`, output: `out ${n}` }),
    task: 'summarization',
    scores,
    rationale: Object.fromEntries(names.map((name) => [name, `why ${name} ${n}`])),
    average: 0.5,
    verdict: rand() < 0.5 ? 'accepted' : 'rejected',
    judge: 'test',
    judgeVersion,
    ...(raw ? { raw, rawVersion: 'raw-1' } : {}),
    at: '2026-12-04T00:00:00.000Z',
  };
}

describe('assess/AssessmentBook', () => {
  let dir: string;
  let logger: ReturnType<typeof recordingLogger>;
  const journal = () => path.join(dir, 'assessments.jsonl');
  const open = () => {
    logger = recordingLogger();
    return AssessmentBook.open(dir, logger);
  };
  const said = (pattern: RegExp) => assert.ok(logger.lines.some((l) => pattern.test(l)), logger.lines.join('\n'));
  /** What a sample reads as, every way the book offers. */
  const seen = (book: AssessmentBook, a: Assessment) => {
    const { task, judgeVersion, rawVersion, verdict, scores, raw } = a;
    assert.deepEqual(book.brief(a.id), { task, judgeVersion, verdict, scores, ...(raw ? { raw, rawVersion } : {}) });
    assert.deepEqual(book.get(a.id), a);
    assert.equal(book.has(a.id), true);
  };

  let latest: Assessment[];
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-book-'));
    const book = await open();
    latest = Array.from({ length: 60 }, (_, n) => assessment(n));
    await book.record(latest.slice(0, 30));
    await book.record(latest.slice(30));
    // Re-judged: the later record wins.
    const again = [assessment(3, 'v9'), assessment(14, 'v9')];
    await book.record(again);
    latest[3] = again[0];
    latest[14] = again[1];
    await book.close();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a start with nothing changed takes the briefs from state.db and reads no record', async () => {
    // Change a score in the journal's middle, keeping its size and last bytes: only a book that
    // did not read the journal still has the old score in its brief.
    const text = fs.readFileSync(journal(), 'utf8');
    const [before] = text.match(/"coherence":0\.\d{6}/)!;
    fs.writeFileSync(journal(), text.replace(before, before.replace(/\d$/, (d) => String((Number(d) + 1) % 10))));
    const book = await open();
    try {
      said(/60 assessed samples from the saved index$/);
      const first = latest.find((a) => a.scores.coherence !== undefined && JSON.stringify(a).includes(before))!;
      assert.equal(book.brief(first.id)!.scores.coherence, first.scores.coherence);
    } finally {
      await book.close();
    }
  });

  it('reads records appended since on their own, and every sample reads the same as after a full read', async () => {
    const more = [assessment(60), assessment(8, 'v7')];
    fs.appendFileSync(journal(), more.map((a) => JSON.stringify(a) + '\n').join(''));
    latest.push(more[0]);
    latest[8] = more[1];
    let book = await open();
    said(/61 assessed samples from the saved index, and 2 records appended since/);
    for (const a of latest) seen(book, a);
    await book.close();
    fs.rmSync(path.join(dir, 'state.db'));
    book = await open();
    said(/61 assessed samples read in full/);
    for (const a of latest) seen(book, a);
    await book.close();
  });

  it('records appended before a crash are read on their own at the next start', async () => {
    const book = await open();
    const added = assessment(61);
    await book.record([added]);
    // No close: the process died. The start saved its state, so only the new record is read.
    const next = await open();
    try {
      said(/61 assessed samples from the saved index, and 1 record appended since/);
      seen(next, added);
    } finally {
      await next.close();
      await book.close();
    }
  });

  it('a journal changed any other way is read in full', async () => {
    const lines = fs.readFileSync(journal(), 'utf8').split('\n');
    fs.writeFileSync(journal(), lines.slice(1).join('\n'));
    const book = await open();
    try {
      said(/59 assessed samples read in full/);
      assert.equal(book.has(latest[0].id), false);
      seen(book, latest[1]);
    } finally {
      await book.close();
    }
  });

  it('a damaged saved state is reported and the journal read instead; nothing is lost', async () => {
    const db = new Database(path.join(dir, 'state.db'));
    db.prepare("UPDATE snapshot_parts SET data = x'0000' WHERE name = 'assessments' AND part = 'columns'").run();
    db.close();
    const book = await open();
    try {
      said(/saved index of .*assessments.jsonl is damaged/);
      said(/60 assessed samples read in full/);
      for (const a of latest) seen(book, a);
    } finally {
      await book.close();
    }
  });
});
