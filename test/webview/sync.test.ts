import assert from 'node:assert/strict';
import { EventCursor } from '../../webview-ui/sync';

describe('EventCursor (which host events the panel applies)', () => {
  it('skips events before the first sync, applies a replay with holes, then expects consecutive numbers', () => {
    const c = new EventCursor(null, -1);
    assert.equal(c.offer(0), 'skip');
    assert.equal(c.sync({ epoch: 'e', mode: 'reset', upTo: 7 }), true);
    assert.deepEqual([2, 5, 7].map((s) => c.offer(s)), ['apply', 'apply', 'apply']);
    assert.equal(c.offer(7), 'skip', 'a duplicate');
    assert.equal(c.offer(8), 'apply');
    assert.equal(c.offer(10, 1000), 'resync', 'a gap after the replay');
    assert.equal(c.offer(11, 2000), 'skip', 'asked once');
    assert.equal(c.offer(12, 7000), 'resync', 'and again after 5 s');
    assert.equal(c.cursor, 8);
  });

  it('a resume keeps the cursor; a resume of another log is refused', () => {
    const c = new EventCursor('e', 4);
    assert.equal(c.sync({ epoch: 'other', mode: 'resume', upTo: 9 }), false);
    assert.equal(c.sync({ epoch: 'e', mode: 'resume', upTo: 9 }), true);
    assert.equal(c.offer(3), 'skip');
    assert.equal(c.offer(9), 'apply');
    assert.equal(c.sync({ epoch: 'f', mode: 'reset', upTo: 0 }), true);
    assert.equal(c.cursor, -1);
    assert.equal(c.offer(0), 'apply');
  });
});
