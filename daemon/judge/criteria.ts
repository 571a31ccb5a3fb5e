import type { Criterion, TaskType } from './types';

// Summarization follows the SummEval / G-Eval dimensions; the other tasks use the
// analogous questions a reviewer asks of a label or an answer.
export const CRITERIA: Record<TaskType, Criterion[]> = {
  summarization: [
    {
      name: 'coherence',
      description: 'The summary is well structured and builds a coherent body of information.',
      steps: ['Read the source and identify its main points.', 'Check that the summary presents them in a clear, logical order without jumps or repetition.'],
    },
    {
      name: 'consistency',
      description: 'Every fact in the summary is supported by the source: no invented names, numbers or events.',
      steps: ['List the facts stated in the summary.', 'Check each one against the source; any unsupported name, number or event lowers the score.'],
    },
    {
      name: 'fluency',
      description: 'The summary consists of grammatical, readable sentences.',
      steps: ['Read the summary sentence by sentence.', 'Penalise grammar errors, fragments, garbled or repeated words.'],
    },
    {
      name: 'relevance',
      description: 'The summary keeps the important content of the source and leaves out the unimportant.',
      steps: ['Identify the most important content of the source.', 'Check how much of it the summary covers and whether it wastes words on minor details.'],
    },
  ],
  classification: [
    {
      name: 'correctness',
      description: 'The label is the right class for the input.',
      steps: ['Read the input.', 'Decide which label fits it and compare with the given label.'],
    },
    {
      name: 'format',
      description: 'The output is a single, clean label rather than free text.',
      steps: ['Check the output is a short label with no explanation or extra words.'],
    },
    {
      name: 'confidence',
      description: 'The input gives clear evidence for the label (not ambiguous).',
      steps: ['Look for evidence in the input that supports the label.', 'Lower the score when the input is ambiguous.'],
    },
  ],
  qa: [
    {
      name: 'correctness',
      description: 'The answer correctly answers the question.',
      steps: ['Find the question in the input.', 'Check whether the answer is right.'],
    },
    {
      name: 'groundedness',
      description: 'The answer is supported by the context given in the input.',
      steps: ['Check every claim of the answer against the context.'],
    },
    {
      name: 'completeness',
      description: 'The answer addresses every part of the question.',
      steps: ['List the parts of the question.', 'Check each is answered.'],
    },
    {
      name: 'fluency',
      description: 'The answer is grammatical, concise and readable.',
      steps: ['Read the answer and penalise errors, rambling or repetition.'],
    },
  ],
};

export function criteriaFor(task: TaskType): Criterion[] {
  return CRITERIA[task];
}

/** Mean of the criterion scores; the number that gates a sample. */
export function averageScore(scores: Record<string, number>): number {
  const values = Object.values(scores);
  if (values.length === 0) return 0;
  return values.reduce((a, b) => a + b, 0) / values.length;
}
