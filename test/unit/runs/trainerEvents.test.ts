import { strict as assert } from 'node:assert';
import { readTrainerLine } from '../../../daemon/runs/runners/trainerEvents';
import { exitFromTrainer, parseEvent } from '../../../daemon/runs/runners/trainerOutput';
import { describeTrainerEvent, progressOf } from '../../../daemon/runs/trainerEventText';
import { failedEvent, progressEvent, startedEvent } from '../../helpers/trainerEvents';

describe('trainer events', () => {
  it('reads an event line, and leaves plain output alone', () => {
    assert.deepEqual(readTrainerLine(JSON.stringify(progressEvent())), { event: progressEvent() });
    assert.equal(readTrainerLine('Loading checkpoint shards: 100%'), undefined);
  });

  it('names what is wrong with a JSON line that is not an event of the schema', () => {
    const problem = (line: string) => {
      const read = readTrainerLine(line);
      assert.ok(read && 'problem' in read, `expected a problem for ${line}`);
      return read.problem;
    };
    assert.match(problem('{"event": "progress", "step": 1'), /^not JSON/);
    assert.match(problem('{"event": "surprise", "time": 1}'), /event/);
    assert.match(problem(JSON.stringify({ ...progressEvent(), step: 'one' })), /^step: /);
    assert.match(problem(JSON.stringify({ ...progressEvent(), extra: 1 })), /extra/);
  });

  it('a malformed event is no event: a broken "failed" line does not decide how a run ended', () => {
    const broken = JSON.stringify({ event: 'failed', reason: 42 });
    assert.equal(parseEvent(broken), undefined);
    assert.deepEqual(exitFromTrainer(1, parseEvent(broken), false).error, { message: 'the trainer exited with code 1', hint: 'see logs/finetuning.log for its output' });
    assert.deepEqual(exitFromTrainer(1, failedEvent('GPU out of memory', 'lower --batch-size'), false).error, { message: 'GPU out of memory', hint: 'lower --batch-size' });
  });

  it('turns progress into the run progress clients see, leaving out what the trainer could not measure', () => {
    assert.deepEqual(progressOf(progressEvent({ step: 3, loss: null, tokens_per_second: null })), { step: 3, totalSteps: 5, epoch: 0.2, learningRate: 2e-5 });
  });

  it('describes events for the log', () => {
    assert.equal(describeTrainerEvent(startedEvent()), 'started — 5 steps on cpu, 9 training / 1 held-out samples');
    assert.equal(
      describeTrainerEvent({ event: 'eval', time: 1, phase: 'after', metrics: { eval_loss: 1.23456, rouge1: null, eval_samples: 3, eval_seconds: 0.5 } }),
      'eval — after training: eval_loss 1.2346',
    );
    assert.equal(describeTrainerEvent(failedEvent('no such model', 'check --base-model')), 'failed — no such model (check --base-model)');
  });
});
