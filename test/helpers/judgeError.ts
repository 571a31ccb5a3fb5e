import { strict as assert } from 'node:assert';
import { JudgeError } from '../../daemon/judge/types';

/** Resolves with the JudgeError the promise rejects with; fails the test if it resolves. */
export async function judgeError(p: Promise<unknown>): Promise<JudgeError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof JudgeError, `expected a JudgeError, got ${String(e)}`);
    return e;
  }
  return assert.fail('expected the judge to fail');
}
