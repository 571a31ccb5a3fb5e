import { strict as assert } from 'node:assert';
import { statusBarView } from '../../../extension/statusBar/statusBarText';
import { aRun, aStatus } from './fixtures';

describe('extension status bar text', () => {
  const running = { kind: 'running' } as const;

  it('counts the samples still needed before fine-tuning', () => {
    const v = statusBarView(running, aStatus({ remaining: 37 }));
    assert.equal(v.text, '$(beaker) 37 samples to fine-tune');
    assert.equal(v.command, 'finetune.runPanel.open');
    assert.equal(v.severity, 'normal');
    assert.match(v.tooltip, /63 of 100 high-quality samples/);
  });

  it('says "1 sample" and says when the threshold is reached', () => {
    assert.equal(statusBarView(running, aStatus({ remaining: 1 })).text, '$(beaker) 1 sample to fine-tune');
    assert.equal(statusBarView(running, aStatus({ collected: 100, remaining: 0 })).text, '$(beaker) Ready to fine-tune (100 samples)');
  });

  it('shows the active run as a spinning percentage, preferring the freshest progress', () => {
    const s = aStatus({ activeRun: aRun({ progress: { step: 10, totalSteps: 50 } }) });
    assert.equal(statusBarView(running, s).text, '$(sync~spin) Fine-tuning 20%');
    assert.equal(statusBarView(running, s, { step: 21, totalSteps: 50 }).text, '$(sync~spin) Fine-tuning 42%');
    assert.equal(statusBarView(running, aStatus({ activeRun: aRun({ progress: null }) })).text, '$(sync~spin) Fine-tuning');
    assert.equal(statusBarView(running, aStatus({ activeRun: aRun({ status: 'queued', progress: null }) })).text, '$(clock) Fine-tune queued');
  });

  it('is an error that starts the daemon when the daemon is down', () => {
    const v = statusBarView({ kind: 'down', message: 'the connection to the daemon closed' }, undefined);
    assert.equal(v.text, '$(error) Fine-tune: daemon down');
    assert.equal(v.severity, 'error');
    assert.equal(v.command, 'finetune.daemon.start');
    assert.match(v.tooltip, /connection to the daemon closed/);
  });

  it('is neutral when the daemon was not started on purpose', () => {
    const v = statusBarView({ kind: 'stopped', message: 'no daemon is running for this workspace (finetune.daemon.autoStart is off)' }, undefined);
    assert.equal(v.text, '$(beaker) Fine-tune: stopped');
    assert.equal(v.severity, 'normal');
    assert.equal(v.command, 'finetune.daemon.start');
  });

  it('spins while connecting and warns about an invalid config', () => {
    assert.equal(statusBarView({ kind: 'starting' }, undefined).text, '$(loading~spin) Fine-tune');
    assert.equal(statusBarView(running, undefined).text, '$(loading~spin) Fine-tune', 'connected, status not read yet');
    const v = statusBarView(running, aStatus({ configError: 'config/models.yml:3:5 threshold: expected a number' }));
    assert.equal(v.severity, 'warning');
    assert.match(v.tooltip, /3:5 threshold/);
  });
});
