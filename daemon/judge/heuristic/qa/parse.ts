// Splits a Q&A input into its context and its question, and says what kind of answer the
// question expects. Inputs come in two common shapes: labelled ("Context: ... Question: ...")
// or a passage followed by the question sentence.
import { splitSentences } from '../tokenize';

export interface QaInput {
  context: string;
  question: string;
}

const QUESTION_LABEL = /^\s*(?:question|q)\s*[:.)\-]\s*/i;
const OTHER_LABEL = /^\s*(?:context|passage|document|text|article|answer|a)\s*[:.)\-]\s*/i;

export function parseQa(input: string): QaInput {
  const lines = input.split(/\r?\n/);
  const q = lines.findIndex((l) => QUESTION_LABEL.test(l));
  if (q >= 0) {
    // The question runs until the next labelled line (e.g. "Answer:") or the end.
    let end = q + 1;
    while (end < lines.length && !OTHER_LABEL.test(lines[end]) && !QUESTION_LABEL.test(lines[end])) end++;
    const question = [lines[q].replace(QUESTION_LABEL, ''), ...lines.slice(q + 1, end)].join(' ').trim();
    const context = [...lines.slice(0, q), ...lines.slice(end)]
      .filter((l) => !/^\s*(?:answer|a)\s*[:.)\-]\s*$/i.test(l))
      .map((l) => l.replace(OTHER_LABEL, ''))
      .join('\n')
      .trim();
    return { context, question };
  }
  const sentences = splitSentences(input);
  for (let i = sentences.length - 1; i >= 0; i--) {
    if (sentences[i].trimEnd().endsWith('?')) {
      const context = [...sentences.slice(0, i), ...sentences.slice(i + 1)].join(' ').replace(OTHER_LABEL, '');
      return { context: context.trim(), question: sentences[i] };
    }
  }
  return { context: input.trim(), question: '' };
}

export type AnswerKind = 'yesno' | 'number' | 'time' | 'person' | 'place' | 'reason' | 'open';

/** How a rationale names each kind of question. */
export const KIND_NAMES: Record<AnswerKind, string> = {
  yesno: 'yes/no',
  number: 'how many/how much',
  time: 'when',
  person: 'who',
  place: 'where',
  reason: 'why/how',
  open: 'what/which',
};

const KINDS: [RegExp, AnswerKind][] = [
  [/^\s*(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|had|am)\b/i, 'yesno'],
  [/\bhow (?:many|much|old|long|far|tall|big|often)\b|\bwhat (?:percentage|number|amount)\b/i, 'number'],
  [/\bwhen\b|\bwhat (?:year|time|date|day|month)\b|\bwhich (?:year|day|month)\b/i, 'time'],
  [/\bwho(?:m|se)?\b/i, 'person'],
  [/\bwhere\b/i, 'place'],
  [/\bwhy\b|\bhow\b|\bexplain\b|\bdescribe\b/i, 'reason'],
];

/** The kind of answer a question asks for; "open" when it cannot tell (what/which questions). */
export function answerKind(question: string): AnswerKind {
  for (const [re, kind] of KINDS) if (re.test(question)) return kind;
  return 'open';
}

/** Number of separate things asked: question marks plus "... and when/why/..." conjunctions. */
export function questionParts(question: string): number {
  const marks = (question.match(/\?/g) ?? []).length;
  const joined = (question.match(/\b(?:and|also)\s+(?:who|what|when|where|why|how|which)\b/gi) ?? []).length;
  return Math.max(1, marks) + joined;
}

const MONTHS_DAYS =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tomorrow|century|decade|ago|morning|evening|night|spring|summer|autumn|winter)\b/i;
const NUMBERISH = /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|none|half)\b/i;
const CAPITALISED = /(?:^|\s)\p{Lu}\p{Ll}+/u;

/** Does the answer have the form the question asks for? (A form check, not a truth check.) */
export function fitsKind(answer: string, kind: AnswerKind): boolean {
  const a = answer.trim();
  switch (kind) {
    case 'yesno':
      return /^(?:yes|no|true|false|correct|incorrect)\b/i.test(a) || /\b(?:not|never|did|does|is|was|were|are)\b/i.test(a);
    case 'number':
      return NUMBERISH.test(a);
    case 'time':
      return NUMBERISH.test(a) || MONTHS_DAYS.test(a);
    case 'person':
    case 'place':
      return CAPITALISED.test(a) || /\b(?:in|at|near|on|from)\b/i.test(a) || a.split(/\s+/).length <= 4;
    case 'reason':
      return a.split(/\s+/).length >= 4 || /\b(?:because|since|due|so|to|by)\b/i.test(a);
    case 'open':
      return a.length > 0;
  }
}

const REFUSAL =
  /\b(?:i (?:do not|don'?t) know|cannot be (?:determined|answered)|can'?t be (?:determined|answered)|not (?:enough|sufficient) information|no answer|unanswerable|not (?:mentioned|stated|specified)|does(?: not|n'?t) (?:say|mention|specify))\b/i;

export function isRefusal(answer: string): boolean {
  return REFUSAL.test(answer);
}
