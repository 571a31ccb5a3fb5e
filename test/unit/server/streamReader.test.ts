// A peer that dies in the middle of a message must not leave a timer behind: vscode-jsonrpc's
// stream reader re-armed a "partial message" timer for ever, so a test run or a CLI whose daemon
// was killed mid-answer never exited.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** What keeps a process alive after its reader saw half a message and the connection was disposed. */
function leftAfterHalfMessage(reader: 'shared' | 'plain'): string[] {
  const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures/halfMessage.ts'), reader], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as string[];
}

describe('JSON-RPC stream reader', () => {
  it('leaves no timer running after a peer hung up mid-message', () => {
    assert.deepEqual(leftAfterHalfMessage('shared').filter((r) => r === 'Timeout'), []);
  });

  it("(the library's own reader does leave one: what streamReader is for)", () => {
    assert.deepEqual(leftAfterHalfMessage('plain').filter((r) => r === 'Timeout'), ['Timeout']);
  });
});
