// The fault tier's long variants (FAULT_LONG=1: 1,000,000 fuzzed frames, more appends per disk
// fault point), run by mocha as in npm test; returns the tier's closing counts line.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export async function benchFaults(): Promise<string> {
  const root = path.resolve(__dirname, '../..');
  const r = spawnSync('npx', ['mocha', '--config', 'test/.mocharc.fault.json'], { cwd: root, encoding: 'utf8', env: { ...process.env, FAULT_LONG: '1' } });
  const counts = /fault tier: .*/.exec(r.stdout)?.[0] ?? '(no counts printed)';
  if (r.status !== 0) throw new Error(`the fault tier's long variants failed:\n${r.stdout.slice(-4000)}`);
  return ['## Fault injection, long variants (FAULT_LONG=1)', counts].join('\n\n');
}
