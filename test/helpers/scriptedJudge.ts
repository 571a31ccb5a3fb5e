// A provider that gives every sample the same scores and counts its calls: for tests of what the
// daemon does with verdicts (re-mapping, re-judging), where the judge's own quality is beside the point.
import type { Judge, JudgeResult } from '../../daemon/judge/types';

export function scriptedJudge(version: string, scores: Record<string, number>, rationale: Record<string, string> = {}): Judge & { calls: number } {
  const judge = {
    name: 'scripted',
    version,
    calls: 0,
    async judge(): Promise<JudgeResult> {
      judge.calls++;
      return { scores: { ...scores }, rationale: { ...rationale } };
    },
  };
  return judge;
}
