// What counts for a sample: a person's accept/reject/correct overrides the judge; a note changes nothing.
import type { Annotation, Assessment, Verdict } from '../protocol';

export interface SampleState {
  assessment?: Pick<Assessment, 'verdict'>;
  annotation?: Pick<Annotation, 'action'>;
}

export function effectiveVerdict(state: SampleState): Verdict | 'unjudged' {
  const action = state.annotation?.action;
  if (action === 'accept' || action === 'correct') return 'accepted';
  if (action === 'reject') return 'rejected';
  return state.assessment?.verdict ?? 'unjudged';
}
