import { strict as assert } from 'node:assert';
import { DEFAULT_CONFIG, floorsFor } from '../../../daemon/config';
import { createJudge } from '../../../daemon/judge/createJudge';
import { averageScore, criteriaFor } from '../../../daemon/judge/criteria';
import { applyGate, type GateDecision } from '../../../daemon/judge/gate';
import { HeuristicJudge } from '../../../daemon/judge/heuristic/HeuristicJudge';
import type { JudgeResult, TaskType } from '../../../daemon/judge/types';

// Hand-written news article and summaries (invented for these tests).
const ARTICLE = `The city council of Brookfield voted on Tuesday to build a new public library on the site of the old railway depot, ending a debate that had divided residents for three years. The project will cost $12 million and is expected to open in 2027, according to Mayor Elena Ruiz.
Supporters said the current library, built in 1962, is too small for the growing town and lacks space for children's programmes and computer classes. "This is the most important investment we can make in our young people," Ruiz told reporters after the vote, which passed by seven votes to two.
Opponents had argued that the money should go to road repairs instead. Councillor Mark Davies, who voted against the plan, said the town's roads were in poor condition and that residents had complained about potholes for years. He warned that the library could run over budget.
The new building will have three floors, a rooftop garden and a community hall that can seat 200 people. The architects, Hale and Partners, said the design would reuse bricks from the old depot to keep a link with the town's railway history.
Construction is due to start in the spring. The council said that a public meeting would be held next month to show residents the final plans.`;

const EXTRACTIVE = `The city council of Brookfield voted on Tuesday to build a new public library on the site of the old railway depot. The project will cost $12 million and is expected to open in 2027. The new building will have three floors, a rooftop garden and a community hall that can seat 200 people.`;

const ABSTRACTIVE = `Brookfield's council has approved a $12 million public library on the old railway depot site, which Mayor Elena Ruiz says will open in 2027. Supporters said the current library is too small for the growing town, while opponents such as Councillor Mark Davies wanted the money spent on road repairs. The vote passed by seven votes to two.`;

// A second, unrelated story, so the calibration is not tied to one article.
const SCIENCE = `Researchers at the University of Tartu have found that honeybees exposed to a common farm pesticide forage less and return to the hive more slowly. In a study published on Monday, the team fitted 400 bees with tiny radio tags and followed them for six weeks.
Bees that had been fed small doses of the pesticide made 30 percent fewer foraging trips than bees in a control group, and many failed to find their way back. The lead author, Dr Kadri Tamm, said the doses matched what bees meet in fields sprayed in spring.
The pesticide is still approved in most of the country, although the environment ministry is reviewing its use. Farmers' groups said more research was needed before any ban. The team plans to repeat the experiment with wild bumblebees next year.`;

const SCIENCE_SUMMARY = `A University of Tartu study that tracked 400 radio-tagged honeybees for six weeks found that bees fed a common farm pesticide made 30 percent fewer foraging trips and often failed to return to the hive. Lead author Dr Kadri Tamm said the doses matched those bees meet in sprayed fields.`;

const judge = new HeuristicJudge();
const summarize = (input: string, output: string): Promise<JudgeResult> => judge.judge({ input, output }, 'summarization');
// What the product does with a sample: the calibrated judge and the default gate (average > 0.8
// and consistency >= 0.8).
const product = createJudge(DEFAULT_CONFIG.judge);
const gate = { minAverage: DEFAULT_CONFIG.judge.min_average, floors: floorsFor(DEFAULT_CONFIG.judge, 'summarization') };
async function gated(input: string, output: string): Promise<JudgeResult & GateDecision> {
  const r = await product.judge({ input, output }, 'summarization');
  return { ...r, ...applyGate(r.scores, gate) };
}

function assertWellFormed(r: JudgeResult, task: TaskType): void {
  const names = criteriaFor(task).map((c) => c.name);
  assert.deepEqual(Object.keys(r.scores).sort(), [...names].sort());
  assert.deepEqual(Object.keys(r.rationale).sort(), [...names].sort());
  for (const name of names) {
    const s = r.scores[name];
    assert.ok(Number.isFinite(s) && s >= 0 && s <= 1, `${name} = ${s} is outside [0, 1]`);
    assert.match(r.rationale[name], /^Heuristic: .+\.$/, `${name} rationale should be one sentence that says it is a heuristic`);
  }
}

describe('HeuristicJudge: identity', () => {
  it('says it is a heuristic and carries a version for the score cache', () => {
    assert.match(judge.name, /heuristic/i);
    assert.match(judge.name, /no model/);
    assert.match(judge.version, /^heuristic-\d+$/);
  });

  it('stops when the caller has already aborted', async () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled by user'));
    await assert.rejects(judge.judge({ input: ARTICLE, output: EXTRACTIVE }, 'summarization', ac.signal), /cancelled by user/);
  });
});

describe('HeuristicJudge: summaries the gate should keep', () => {
  it('keeps an extractive news summary', async () => {
    const r = await gated(ARTICLE, EXTRACTIVE);
    assertWellFormed(r, 'summarization');
    assert.equal(r.verdict, 'accepted', `${r.rejectedBy}: ${JSON.stringify(r.scores)}`);
    assert.match(r.rationale.consistency, /no unsupported names or numbers/);
  });

  // A faithful paraphrase cannot be verified word by word, so the calibrated judge is unsure of
  // it (on FRANK, summaries worded like this are mostly unfaithful); what it must get right is
  // that every name and number is supported, and that an invented one costs a lot.
  for (const [label, source, summary, name, figure] of [
    ['an abstractive news summary', ARTICLE, ABSTRACTIVE, 'Elena Ruiz', '2027'],
    ['an abstractive summary of a different story', SCIENCE, SCIENCE_SUMMARY, 'Kadri Tamm', '400'],
  ] as const) {
    it(`finds every fact of ${label} in the source, and scores it above a copy with one invented fact, which it rejects`, async () => {
      const r = await gated(source, summary);
      assertWellFormed(r, 'summarization');
      assert.match(r.rationale.consistency, /no unsupported names or numbers/);
      const invented = await gated(source, summary.replace(name, 'Victor Hallam'));
      const wrongFigure = await gated(source, summary.replace(figure, '913'));
      assert.ok(r.scores.consistency > invented.scores.consistency, `${r.scores.consistency} vs ${invented.scores.consistency}`);
      assert.ok(r.scores.consistency > wrongFigure.scores.consistency, `${r.scores.consistency} vs ${wrongFigure.scores.consistency}`);
      assert.match(invented.rationale.consistency, /Victor Hallam/);
      assert.match(wrongFigure.rationale.consistency, /"913"/);
      for (const flawed of [invented, wrongFigure]) {
        assert.equal(flawed.verdict, 'rejected');
        assert.match(flawed.rejectedBy ?? '', /^consistency 0\.\d\d < 0\.8$/);
      }
    });
  }

  it('scores a faithful summary above a flawed copy of it', async () => {
    const good = await summarize(ARTICLE, EXTRACTIVE);
    const bad = await summarize(ARTICLE, EXTRACTIVE.replace('Brookfield', 'Oakridge'));
    assert.ok(good.scores.consistency > bad.scores.consistency);
  });
});

describe('HeuristicJudge: summaries the gate should reject', () => {
  it('rejects an invented name and names it in the rationale', async () => {
    const summary = EXTRACTIVE.replace('open in 2027.', 'open in 2027, according to Governor Thomas Whitfield.');
    const r = await gated(ARTICLE, summary);
    assertWellFormed(r, 'summarization');
    assert.equal(r.verdict, 'rejected');
    assert.match(r.rejectedBy ?? '', /^consistency /);
    // One invented name costs more than half of the faithful summary's score.
    assert.ok(r.scores.consistency < 0.5 * (await gated(ARTICLE, EXTRACTIVE)).scores.consistency, `consistency ${r.scores.consistency}`);
    assert.match(r.rationale.consistency, /Thomas Whitfield/);
  });

  it('rejects invented numbers and quotes them', async () => {
    const r = await gated(ARTICLE, EXTRACTIVE.replace('$12 million', '$45 million').replace('2027', '2031'));
    assert.equal(r.verdict, 'rejected');
    assert.match(r.rationale.consistency, /"45"/);
    assert.match(r.rationale.consistency, /"2031"/);
  });

  it('rejects an invented figure written out in words', async () => {
    const r = await gated(SCIENCE, SCIENCE_SUMMARY.replace('for six weeks', 'for nine weeks'));
    assert.equal(r.verdict, 'rejected');
    assert.match(r.rationale.consistency, /"nine"/);
  });

  it('accepts numbers written differently from the source ("six" vs 6, "5,000" vs "5, 000")', async () => {
    const r = await summarize('The club sold 5, 000 tickets in six days for its 2024 season opener.', 'The club sold 5,000 tickets in 6 days.');
    assert.match(r.rationale.consistency, /no unsupported names or numbers/);
  });

  it('checks the digits of "12 million", not the scale word', async () => {
    const r = await summarize('The stadium will cost $12m and open in 2026.', 'The stadium will cost $12 million.');
    assert.match(r.rationale.consistency, /no unsupported names or numbers/);
  });

  it('finds a name after a title abbreviation ("Dr. Jane Okafor")', async () => {
    const r = await summarize(SCIENCE, 'Dr. Jane Okafor led a University of Tartu study of 400 honeybees.');
    assert.match(r.rationale.consistency, /Jane Okafor/);
  });

  it('rejects a summary cut off mid-sentence and says it is truncated', async () => {
    const r = await gated(ARTICLE, EXTRACTIVE.replace(/ community hall that can seat 200 people\.$/, ''));
    assertWellFormed(r, 'summarization');
    assert.equal(r.verdict, 'rejected');
    assert.match(r.rationale.fluency, /truncated|mid-sentence/);
    assert.match(r.rationale.coherence, /unfinished/);
  });

  it('rejects an off-topic summary and says it is off topic', async () => {
    const r = await gated(
      ARTICLE,
      'The national football team won the championship final after a penalty shoot-out. Fans celebrated in the streets until the early morning.',
    );
    assert.equal(r.verdict, 'rejected');
    assert.ok(r.scores.relevance < 0.3 && r.scores.consistency < 0.3);
    assert.match(r.rationale.relevance, /off topic/);
  });

  it('rejects a heavily repetitive summary and says it repeats', async () => {
    const line = 'The city council voted to build a new public library on the site of the old railway depot.';
    const r = await gated(ARTICLE, `${line} ${line} ${line} The project will cost $12 million.`);
    assert.equal(r.verdict, 'rejected');
    assert.match(r.rationale.fluency, /repeat/);
    assert.match(r.rationale.coherence, /restate/);
  });

  it('penalises doubled words', async () => {
    const clean = await summarize(ARTICLE, EXTRACTIVE);
    const stutter = await summarize(ARTICLE, EXTRACTIVE.replace('new public library', 'new new public library library'));
    assert.ok(stutter.scores.fluency < clean.scores.fluency);
    assert.match(stutter.rationale.fluency, /doubled word/);
  });

  it('marks a "summary" as long as the source as leaving nothing out', async () => {
    const r = await summarize(ARTICLE, ARTICLE);
    assert.match(r.rationale.relevance, /leaves little out/);
  });
});

describe('HeuristicJudge: robustness', () => {
  it('is deterministic', async () => {
    const a = await summarize(ARTICLE, ABSTRACTIVE);
    const b = await new HeuristicJudge().judge({ input: ARTICLE, output: ABSTRACTIVE }, 'summarization');
    assert.deepEqual(a, b);
  });

  const odd: [string, string, string][] = [
    ['empty input and output', '', ''],
    ['empty output', ARTICLE, ''],
    ['empty input', '', EXTRACTIVE],
    ['whitespace only', ' \n\t ', '\n '],
    ['emoji and symbols', '🙂 🚀 ✓ ©', '🙂'],
    ['CJK text', '東京は日本の首都です。人口は約1400万人です。', '東京は日本の首都です。'],
    ['accents and RTL', 'Ünïcödé naïve café. مرحبا بالعالم. Zoë Ødegaard signed.', 'Zoë Ødegaard signed at the café.'],
    ['control characters and a lone surrogate', 'abc\u0000def \ud800 ghi.', '\u0007 \udc00 x'],
  ];
  for (const task of ['summarization', 'classification', 'qa'] as const) {
    for (const [label, input, output] of odd) {
      it(`does not throw on ${label} (${task})`, async () => {
        assertWellFormed(await judge.judge({ input, output }, task), task);
      });
    }
  }

  it('scores an empty summary 0 and says why', async () => {
    const r = await summarize(ARTICLE, '');
    assert.equal(averageScore(r.scores), 0);
    assert.match(r.rationale.consistency, /empty/);
  });

  it('survives non-string fields from a malformed sample file', async () => {
    const r = await judge.judge({ input: null, output: 42 } as unknown as { input: string; output: string }, 'summarization');
    assertWellFormed(r, 'summarization');
  });

  it('judges a megabyte article in well under a second (no quadratic work)', async () => {
    const huge = ARTICLE.repeat(800); // ~1 MB
    const started = performance.now();
    const r = await gated(huge, EXTRACTIVE);
    const ms = performance.now() - started;
    assertWellFormed(r, 'summarization');
    assert.equal(r.verdict, 'accepted');
    assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
  });

  it('judges a long summary of a long source in linear time', async () => {
    const text = Array.from({ length: 60000 }, (_, i) => `word${i % 3000}`).join(' ');
    const started = performance.now();
    assertWellFormed(await summarize(text, text.slice(0, 200000)), 'summarization');
    assert.ok(performance.now() - started < 3000);
  });
});
