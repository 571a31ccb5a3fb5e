import { strict as assert } from 'node:assert';
import { averageScore } from '../../../daemon/judge/criteria';
import { HeuristicJudge } from '../../../daemon/judge/heuristic/HeuristicJudge';
import { cleanLabel, offeredLabels } from '../../../daemon/judge/heuristic/classification';
import { answerKind, parseQa, questionParts } from '../../../daemon/judge/heuristic/qa/parse';

const judge = new HeuristicJudge();
const GATE = 0.8;

describe('HeuristicJudge: classification', () => {
  const REVIEW = 'Review: The battery died after two days, the screen is awful and support was rude.\nLabels: positive, negative';
  const classify = (input: string, output: string) => judge.judge({ input, output }, 'classification');

  it('reads the allowed labels from the input and cleans the wrapping around a label', () => {
    assert.deepEqual(offeredLabels('Classify the text. Options: Sports, Politics or Science'), ['sports', 'politics', 'science']);
    assert.deepEqual(offeredLabels('Is this review (positive/negative/neutral)?'), ['positive', 'negative', 'neutral']);
    assert.deepEqual(offeredLabels('Just some text.'), []);
    assert.deepEqual(offeredLabels('This is one of the best phones I have owned.'), []);
    assert.equal(cleanLabel(' "Negative." '), 'Negative');
    assert.equal(cleanLabel('Label: spam'), 'spam');
  });

  it('keeps a clean label that the input supports', async () => {
    const r = await classify(REVIEW, 'negative');
    assert.ok(averageScore(r.scores) > GATE, JSON.stringify(r.scores));
    assert.equal(r.scores.format, 1);
    assert.match(r.rationale.correctness, /agrees/);
  });

  it('rejects a label the sentiment of the input contradicts', async () => {
    const r = await classify(REVIEW, 'positive');
    assert.ok(averageScore(r.scores) < GATE);
    assert.match(r.rationale.correctness, /contradicts/);
  });

  it('rejects a label that is not among the offered ones and lists them', async () => {
    const r = await classify(REVIEW, 'neutral');
    assert.ok(averageScore(r.scores) < GATE);
    assert.match(r.rationale.correctness, /not one of the labels.*positive, negative/);
  });

  it('rejects free text in place of a label', async () => {
    const r = await classify(REVIEW, 'The review is clearly negative because the battery died quickly.');
    assert.ok(averageScore(r.scores) < GATE);
    assert.ok(r.scores.format < 0.3);
    assert.match(r.rationale.format, /free text/);
  });

  it('is lenient but honest when correctness cannot be checked', async () => {
    const r = await classify('Classify the topic of this headline: The striker scored twice in the cup final.', 'sports');
    assert.ok(averageScore(r.scores) > GATE, JSON.stringify(r.scores));
    assert.match(r.rationale.correctness, /cannot be checked without a model/);
  });

  it('gives little confidence when the input is nearly empty', async () => {
    const r = await classify('ok', 'positive');
    assert.ok(r.scores.confidence <= 0.3);
  });

  it('treats one-sided wording as evidence against "neutral"', async () => {
    const balanced = await classify('Good screen, bad battery, great camera, awful speaker. Labels: positive, negative, neutral', 'neutral');
    const oneSided = await classify('Great phone, I love it, excellent camera and a wonderful screen. Labels: positive, negative, neutral', 'neutral');
    assert.ok(balanced.scores.confidence > oneSided.scores.confidence);
    assert.ok(averageScore(oneSided.scores) < GATE);
  });

  it('reads negation in sentiment evidence ("not good")', async () => {
    const r = await classify('It is not good and I do not like it. Labels: positive, negative', 'negative');
    assert.match(r.rationale.correctness, /agrees/);
  });
});

describe('HeuristicJudge: question answering', () => {
  const CONTEXT =
    'Context: The Eiffel Tower was completed in 1889 for the World Fair in Paris. It was designed by the engineering company of Gustave Eiffel and is 330 metres tall. Millions of people visit it every year.';
  const ask = (question: string, answer: string) => judge.judge({ input: `${CONTEXT}\nQuestion: ${question}`, output: answer }, 'qa');

  it('splits context and question, labelled or not', () => {
    assert.deepEqual(parseQa('Context: Paris is in France.\nQuestion: Where is Paris?\nAnswer:'), { context: 'Paris is in France.', question: 'Where is Paris?' });
    assert.deepEqual(parseQa('Paris is in France. Where is Paris?'), { context: 'Paris is in France.', question: 'Where is Paris?' });
    assert.equal(parseQa('No question here.').question, '');
    assert.equal(answerKind('How many people visit it?'), 'number');
    assert.equal(answerKind('Did it open in 1889?'), 'yesno');
    assert.equal(questionParts('How tall is it and when was it built?'), 2);
  });

  it('keeps a grounded answer of the right kind', async () => {
    const r = await ask('When was the Eiffel Tower completed?', 'It was completed in 1889.');
    assert.ok(averageScore(r.scores) > GATE, JSON.stringify(r.scores));
    assert.equal(r.scores.groundedness, 1);
    assert.match(r.rationale.correctness, /not verifiable without a model/);
  });

  it('rejects an answer whose figure is not in the context and quotes it', async () => {
    const r = await ask('When was the Eiffel Tower completed?', 'It was completed in 1925.');
    assert.ok(averageScore(r.scores) < GATE);
    assert.match(r.rationale.groundedness, /"1925"/);
  });

  it('rejects an answer naming someone the context never mentions', async () => {
    const r = await ask('Who designed the tower?', 'It was designed by Leonardo da Vinci.');
    assert.ok(averageScore(r.scores) < GATE);
    assert.match(r.rationale.groundedness, /Vinci/);
  });

  it('scores a partial answer to a two-part question as incomplete', async () => {
    const r = await ask('How tall is the tower and when was it completed?', '330 metres.');
    assert.ok(r.scores.completeness <= 0.6);
    assert.match(r.rationale.completeness, /2 things/);
  });

  it('rejects declining a question the context answers, keeps declining one it does not', async () => {
    const answerable = await ask('Who designed the tower?', "I don't know.");
    assert.ok(averageScore(answerable.scores) < GATE);
    const unanswerable = await ask('What did the mayor of Lyon eat for breakfast?', 'The context does not say.');
    assert.ok(averageScore(unanswerable.scores) > GATE, JSON.stringify(unanswerable.scores));
  });

  it('does not ask a terse answer for full sentences', async () => {
    const r = await ask('How tall is the tower?', '330 metres');
    assert.ok(r.scores.fluency >= 0.9, r.rationale.fluency);
  });

  it('says so when there is no context to ground the answer in', async () => {
    const r = await judge.judge({ input: 'What is the capital of France?', output: 'Paris.' }, 'qa');
    assert.match(r.rationale.groundedness, /no context/);
  });
});
