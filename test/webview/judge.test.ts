// The run panel's Judge card in headless Chromium, with a real PanelChannel playing the host:
// overrides so far, the figures and the calibration chart, and calibrate → preview → apply.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, ensureBuilt, openPanel, startServer, type OpenPanel, type PanelServer } from './harness';
import { fakeCalibration, fakeEvaluation, fakeOverview, fakeStatus } from './fixtures';
import { ErrorCodes, type PanelJudge } from '../../daemon/protocol';
import { PanelRequestError, type PanelHandlers } from '../../extension/runPanel/PanelChannel';

describe('run panel Judge card (built, headless Chromium)', function () {
  let browser: Browser | undefined;
  let server: PanelServer | undefined;
  let panel: OpenPanel | undefined;

  before(async function () {
    this.timeout(660_000);
    const executablePath = chromiumPath();
    if (!executablePath) {
      console.log('    SKIPPED: chromium is not installed and apt-get could not install it; the webview tests need /usr/bin/chromium');
      this.skip();
    }
    ensureBuilt();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: executablePath!, args: CHROMIUM_ARGS });
    server = await startServer();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async function () {
    if (!panel) return;
    const errors = panel.errors;
    await panel.close();
    panel = undefined;
    if (this.currentTest?.state === 'passed') assert.deepEqual(errors, [], 'the panel logged errors');
  });

  const judgeState = (over: Partial<PanelJudge>): PanelJudge => ({ overview: fakeOverview(40), evaluation: null, problem: null, measuring: false, ...over });
  async function open(handlers: Partial<PanelHandlers> = {}, state: Partial<PanelJudge> = {}): Promise<OpenPanel> {
    panel = await openPanel(browser!, server!, handlers);
    panel.channel.setStatus(fakeStatus(10));
    panel.channel.setJudge(judgeState(state));
    await panel.load();
    // The host's replay has been applied once the card shows the overrides.
    await panel.page.waitForFunction(() => /overrides? so far/.test(document.querySelector('#judge-overrides')?.textContent ?? ''));
    return panel;
  }
  const text = (sel: string) => panel!.page.locator(sel).innerText();

  it('below 30 labels: says how many more are needed, and Calibrate waits for them', async () => {
    const p = await open({}, {
      overview: fakeOverview(12),
      problem: { kind: 'too-few-labels', message: '12 labels (Accept / Reject overrides); 18 more needed before the judge can be measured', hint: 'accept or reject samples in the editor' },
    });
    assert.match(await text('#judge-overrides'), /^12 Accept \/ Reject overrides so far; 18 more needed to measure or calibrate the judge/);
    assert.match(await text('#judge-problem'), /18 more needed .* — accept or reject samples in the editor/);
    assert.equal(await p.page.getByRole('button', { name: 'Calibrate…' }).isDisabled(), true);
    assert.match(await text('#judge-calibration'), /Calibration: the one the judge ships with/);
    // Measuring is still offered (the daemon answers with what is missing).
    await p.page.getByRole('button', { name: 'Measure agreement' }).click();
    await p.waitForPosted('panel/judgeEvaluate');
    assert.equal(p.calls.judgeEvaluate, 1);
  });

  it('shows the agreement figures and draws the buckets and the calibration curve', async () => {
    const p = await open({}, { evaluation: fakeEvaluation() });
    const figures = await text('#judge-figures');
    assert.match(figures, /Labels\s+40 \(people accept 50%\)/);
    assert.match(figures, /Spearman\s+0\.61/);
    assert.match(figures, /Kendall\s+0\.48/);
    assert.match(figures, /ROC AUC\s+0\.83/);
    assert.match(figures, /Gate \(average > 0\.8, consistency ≥ 0\.8\)\s+keeps 12: precision 0\.83, recall 0\.50/);
    assert.match(figures, /For precision 0\.90\s+min_average 0\.86 keeps 10/);
    assert.equal(await p.page.locator('#judge-chart rect.judge-bar').count(), 8, 'one bar per bucket with labels');
    assert.equal(await p.page.locator('#judge-chart path.judge-curve[data-criterion="consistency"]').count(), 1);
    assert.match((await p.page.locator('#judge-chart').getAttribute('aria-label'))!, /0\.9–1\.0 90% of 5/);
    assert.match(await text('#judge-legend'), /consistency/);
  });

  it('Calibrate previews before/after, Apply writes exactly what was shown, Discard writes nothing', async () => {
    let applied: PanelJudge | null = null;
    const p = await open(
      {
        judgeCalibrate: async (params) => {
          if (!params.apply) return fakeCalibration();
          applied = judgeState({ overview: fakeOverview(40, { current: 'v1' }), evaluation: fakeEvaluation() });
          panel!.channel.setJudge(applied);
          return fakeCalibration({ applied: true, version: 'v1' });
        },
      },
      { evaluation: fakeEvaluation() },
    );
    await p.page.getByRole('button', { name: 'Calibrate…' }).click();
    const preview = p.page.getByRole('region', { name: 'Calibration preview' });
    await preview.waitFor();
    const compare = await text('#judge-compare');
    assert.match(compare, /Precision\s+0\.83\s+0\.94/);
    assert.match(compare, /Recall\s+0\.50\s+0\.75/);
    assert.match(compare, /min_average for 0\.90\s+0\.86\s+0\.62/);
    assert.match(await text('#judge-fit'), /fluency: Spearman 0\.10 with your labels is within chance/);
    assert.equal(await p.page.locator('#judge-chart path.judge-curve.preview').count(), 1, 'the previewed curve, dashed');
    assert.deepEqual(p.calls.judgeCalibrate, [{ apply: false }]);

    await p.page.getByRole('button', { name: 'Discard' }).click();
    await preview.waitFor({ state: 'hidden' });
    assert.equal(p.calls.judgeCalibrate.length, 1, 'discarding sends nothing');

    await p.page.getByRole('button', { name: 'Calibrate…' }).click();
    await p.page.getByRole('button', { name: 'Apply calibration' }).click();
    await preview.waitFor({ state: 'hidden' });
    assert.deepEqual(p.calls.judgeCalibrate[2], { apply: true, expect: 'abc12345' });
    assert.ok(applied);
    await p.page.getByRole('button', { name: 'Revert calibration' }).waitFor();
  });

  it('shows why a calibration was refused, with what to do', async () => {
    const p = await open({
      judgeCalibrate: async () => {
        throw new PanelRequestError(ErrorCodes.TooFewLabels, '40 labels, 38 accepted and 2 not: a calibration needs at least 5 of each', { kind: 'too-few-labels', hint: 'accept and reject samples that the judge got wrong' });
      },
    });
    await p.page.getByRole('button', { name: 'Calibrate…' }).click();
    await p.page.locator('#judge-error').waitFor();
    assert.match(await text('#judge-error'), /needs at least 5 of each — accept and reject samples that the judge got wrong/);
    assert.equal(await p.page.locator('#request-error').isHidden(), true, 'not beside the Run button');
  });
});
