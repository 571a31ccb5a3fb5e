// What the editor shows for a sample id: its assessment (re-gated when an older judge version
// gave it), the latest human annotation, and the verdict the threshold counts.
import type { Annotation, Assessment, Verdict } from '../protocol';
import type { Assessor } from './Assessor';
import { effectiveVerdict } from './effectiveVerdict';
import type { LatestById } from './LatestById';

export interface SampleView {
  id: string;
  assessment?: Assessment;
  /** False when the assessment is from another judge version or task (a re-judge would refresh it). */
  current: boolean;
  annotation?: Annotation;
  verdict: Verdict | 'unjudged';
}

export interface Lookup {
  view(id: string): SampleView;
  /** judge.min_average: a sample is accepted when its average is above it. */
  gate: number;
  judge: { name: string; version: string };
}

export function sampleLookup(assessor: Assessor, annotations: LatestById<Annotation>, gate: number): Lookup {
  return {
    gate,
    judge: assessor.judgeInfo,
    view(id) {
      const current = assessor.cached(id);
      let assessment = current ?? assessor.stored.get(id);
      if (assessment && !current) assessment = assessor.regate(assessment);
      const annotation = annotations.get(id);
      return { id, assessment, current: current !== undefined, annotation, verdict: effectiveVerdict({ assessment, annotation }) };
    },
  };
}

/** The criterion with the lowest score. */
export function weakest(a: Assessment): { name: string; score: number; rationale: string } | undefined {
  let worst: { name: string; score: number; rationale: string } | undefined;
  for (const [name, score] of Object.entries(a.scores)) {
    if (!worst || score < worst.score) worst = { name, score, rationale: a.rationale[name] ?? '' };
  }
  return worst;
}
