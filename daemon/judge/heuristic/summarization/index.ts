// Scores a summary on the four SummEval criteria from the source and the summary alone.
import type { JudgeResult } from '../../types';
import { indexSource, profile } from '../profile';
import { toResult } from '../score';
import { scoreCoherence } from './coherence';
import { scoreConsistency } from './consistency';
import { scoreFluency } from './fluency';
import { scoreRelevance } from './relevance';

export function judgeSummary(source: string, summary: string): JudgeResult {
  const src = indexSource(source);
  const sum = profile(summary);
  return toResult({
    coherence: scoreCoherence(summary, sum),
    consistency: scoreConsistency(sum, src),
    fluency: scoreFluency(summary, sum),
    relevance: scoreRelevance(sum, src),
  });
}
