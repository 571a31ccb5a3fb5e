// Q&A: the input holds a context and a question, the output is the answer. Without a model the
// judge can check that the answer's words and facts come from the context (groundedness), that
// they come from the part of the context the question is about and have the form the question
// asks for (a proxy for correctness), that every part of the question gets an answer, and the
// answer's surface form. Whether the answer is actually right is not verifiable here.
import type { JudgeResult } from '../../types';
import { bestSentence } from '../align';
import { describeFacts, INVENTED_FACT_LIKELIHOOD, unsupportedFacts } from '../facts';
import { formSignals } from '../form';
import { overlap, ratio, sumOverlaps } from '../ngrams';
import { indexSource, profile, type Profile, type SourceIndex } from '../profile';
import { clamp01, heuristic, pct, toResult, type Scored } from '../score';
import { scoreFluency } from '../summarization/fluency';
import { answerKind, fitsKind, isRefusal, KIND_NAMES, parseQa, questionParts, type AnswerKind } from './parse';

/** A heuristic that only sees form and placement never claims full certainty about correctness. */
const MAX_CORRECTNESS = 0.9;
const LONG_ANSWER_WORDS = 150;
/** Declining a question the context cannot answer is a good answer, but not a certain one. */
const DUE_REFUSAL = 0.8;

interface Ctx {
  question: string;
  /** Stemmed content words of the question: what it is about. */
  questionStems: string[];
  kind: AnswerKind;
  answer: Profile;
  context: SourceIndex;
  hasContext: boolean;
}

function contentSupport(answer: Profile, src: SourceIndex): number {
  return ratio(sumOverlaps(answer.content.map((c) => overlap(c, src.stems, 1))), 1);
}

function scoreGroundedness(c: Ctx, text: string): Scored {
  if (isRefusal(text)) return { score: 1, rationale: heuristic('the answer declines, so it makes no claim the context would have to support') };
  if (!c.hasContext) return { score: 0.5, rationale: heuristic('the input has no context besides the question, so nothing can ground the answer') };
  const facts = unsupportedFacts(c.answer, c.context);
  const support = contentSupport(c.answer, c.context);
  const contentWords = c.answer.content.flat().length;
  const score = support * (1 - INVENTED_FACT_LIKELIHOOD) ** facts.length;
  const words = contentWords === 0 ? 'the answer has no content words to check' : `${pct(support)} of the answer's content words occur in the context`;
  const factNote = facts.length ? `not in the context: ${describeFacts(facts)}` : 'no names or numbers missing from the context';
  return { score, rationale: heuristic(words, factNote) };
}

/** The context mentions at least half of what the question asks about. */
function answerable(c: Ctx): boolean {
  if (!c.hasContext) return false;
  const qStems = c.questionStems;
  return qStems.length > 0 && qStems.filter((w) => c.context.stems.has(w)).length / qStems.length >= 0.5;
}

/** Share of the answer's content words found around the context sentence that matches the question. */
function nearQuestion(c: Ctx): number | undefined {
  const hit = bestSentence(c.questionStems, c.context);
  if (hit.at < 0) return undefined;
  const window = new Set(c.context.profile.content.slice(Math.max(0, hit.at - 1), hit.at + 2).flat());
  return ratio(sumOverlaps(c.answer.content.map((w) => overlap(w, window, 1))), 1);
}

function scoreCorrectness(c: Ctx, text: string): Scored {
  if (isRefusal(text)) {
    return answerable(c)
      ? { score: 0.3, rationale: heuristic('the answer declines, although the context covers what the question asks about') }
      : { score: DUE_REFUSAL, rationale: heuristic('the answer declines, and the context says little about what the question asks, so declining is reasonable') };
  }
  const fits = fitsKind(text, c.kind);
  const near = c.hasContext ? nearQuestion(c) : undefined;
  const facts = c.hasContext ? unsupportedFacts(c.answer, c.context).length : 0;
  const grounded = c.hasContext ? contentSupport(c.answer, c.context) : 0.5;
  const score = MAX_CORRECTNESS * (0.4 * (fits ? 1 : 0) + 0.3 * (near ?? grounded) + 0.3 * grounded) * (1 - INVENTED_FACT_LIKELIHOOD) ** facts;
  const form = c.question ? `the answer ${fits ? 'has' : 'lacks'} the form a "${KIND_NAMES[c.kind]}" question asks for` : 'no question found in the input';
  const place = near === undefined ? '' : `${pct(near)} of its content words are in the part of the context the question is about`;
  return { score, rationale: heuristic(form, place, 'whether it is right is not verifiable without a model') };
}

function scoreCompleteness(c: Ctx, text: string): Scored {
  if (isRefusal(text)) {
    return answerable(c)
      ? { score: 0.2, rationale: heuristic('the answer declines although the context covers the question') }
      : { score: DUE_REFUSAL, rationale: heuristic('the answer declines, which is complete when the context lacks what is asked') };
  }
  const f = formSignals(text, c.answer);
  const parts = questionParts(c.question);
  const clauses = 1 + (text.match(/[;,]|\band\b|\.\s/g) ?? []).length;
  const issues: string[] = [];
  let score = 1;
  if (f.truncated) {
    score -= 0.5;
    issues.push('the answer stops mid-sentence');
  }
  if (parts > 1 && clauses < parts) {
    score -= 0.4;
    issues.push(`the question asks ${parts} things and the answer seems to address fewer`);
  }
  if (c.kind === 'reason' && c.answer.words.length < 4) {
    score -= 0.3;
    issues.push('a why/how question gets a one- or two-word answer');
  } else if (c.question && !fitsKind(text, c.kind)) {
    score -= 0.3;
    issues.push(`it does not give what a "${KIND_NAMES[c.kind]}" question asks for`);
  }
  return { score: clamp01(score), rationale: heuristic(issues.length ? issues.join('; ') : `addresses the ${parts === 1 ? 'question' : `${parts} parts of the question`} in the expected form`) };
}

function scoreAnswerFluency(text: string, answer: Profile): Scored {
  // A terse answer ("Paris") needs no closing punctuation; a long one is prose.
  const base = scoreFluency(text, answer, { expectPunctuation: answer.words.length > 12, allowFragments: true });
  if (answer.words.length <= LONG_ANSWER_WORDS) return base;
  return { score: clamp01(base.score - 0.2), rationale: base.rationale.replace(/\.$/, `; at ${answer.words.length} words it rambles for an answer.`) };
}

export function judgeQa(input: string, output: string): JudgeResult {
  const { context, question } = parseQa(input);
  const answer = profile(output);
  if (answer.words.length === 0) {
    const empty = { score: 0, rationale: heuristic('the answer is empty') };
    return toResult({ correctness: empty, groundedness: empty, completeness: empty, fluency: empty });
  }
  const c: Ctx = {
    question,
    questionStems: profile(question).content.flat(),
    kind: answerKind(question),
    answer,
    context: indexSource(context),
    hasContext: context.trim().length > 0,
  };
  return toResult({
    correctness: scoreCorrectness(c, output),
    groundedness: scoreGroundedness(c, output),
    completeness: scoreCompleteness(c, output),
    fluency: scoreAnswerFluency(output, answer),
  });
}
