import { strict as assert } from 'node:assert';
import { finishedNotification, landedNotification } from '../../../extension/notifications/notificationText';
import { aRun, aVersion } from './fixtures';

describe('extension notifications', () => {
  it('a promoted version: info with the metric against before, and the card and panel actions', () => {
    const n = landedNotification({ ...aVersion(), promoted: true, reason: 'eval_loss improved' });
    assert.equal(n.severity, 'info');
    assert.equal(n.message, 'Fine-tune: new model version v2 landed and is now current. eval_loss 5.086 (was 6.264, −18.8%).');
    assert.deepEqual(n.actions, ['Open Model Card', 'Open Run Panel']);
  });

  it('compares with the current version on the same held-out split when the trainer measured it', () => {
    const v = aVersion({ metrics: { before: { eval_loss: 6 }, after: { eval_loss: 5 }, baseline_current: { eval_loss: 4 } } });
    assert.match(landedNotification({ ...v, promoted: false, reason: 'x' }).message, /eval_loss 5 \(was 4, \+25\.0%\)/);
  });

  it('a candidate not promoted: a warning with the gate\'s reason', () => {
    const n = landedNotification({
      ...aVersion({ version: 'v3', current: false, status: 'candidate' }),
      promoted: false,
      reason: "eval_loss 5.2 is not better than v2's 5.09: kept as a candidate",
    });
    assert.equal(n.severity, 'warning');
    assert.match(n.message, /^Fine-tune: model version v3 landed but was not promoted: eval_loss 5\.2 is not better than v2's 5\.09: kept as a candidate\./);
    assert.deepEqual(n.actions, ['Open Model Card', 'Promote Anyway']);
  });

  it('a version without metrics still notifies', () => {
    assert.equal(landedNotification({ ...aVersion({ metrics: undefined }), promoted: true, reason: 'first version' }).message, 'Fine-tune: new model version v2 landed and is now current.');
  });

  it('a failed run: an error with the reason and Show Logs; success and cancel say nothing', () => {
    const n = finishedNotification(aRun({ status: 'failed', error: { message: 'the trainer exited with code 1', hint: 'see the run log' } }));
    assert.deepEqual(n, { severity: 'error', message: `Fine-tune: run ${aRun().id} failed: the trainer exited with code 1. See the run log`, actions: ['Show Logs'] });
    assert.match(finishedNotification(aRun({ status: 'failed', error: null }))!.message, /no reason was given/);
    assert.equal(finishedNotification(aRun({ status: 'succeeded' })), undefined);
    assert.equal(finishedNotification(aRun({ status: 'cancelled' })), undefined);
  });
});
