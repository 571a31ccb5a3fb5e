// The judge against people's labels in a real VS Code (code-server + Chromium), as a person uses
// it: the verdict and the rule that decided sit in the code lens above each JSONL line, a Reject
// clicked there is a label, and the run panel's Judge section shows the labels so far, the
// agreement figures and the calibration chart, and calibrates after a preview. Screenshots are artifacts.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JudgeCalibrations, SamplesAnnotate } from '../../daemon/protocol';
import { sampleId } from '../../daemon/store/sampleId';
import { runCli, startDaemonProcess, type DaemonProcess } from '../helpers/daemonProcess';
import { jsonl, samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { openVsCode, ROOT, runCommand, screenshot, type VsCode } from './codeServer';

describe('the judge and people\'s labels in a real VS Code (code-server + Chromium)', () => {
  let ws: TestWorkspace;
  let daemon: DaemonProcess;
  let vscode: VsCode;
  // Good and flawed alternate: line 1 good, line 2 flawed, ...
  const flawed = samplesOf('flawed', 20, 23);
  const batch = samplesOf('good', 20, 23).flatMap((g, i) => [g, flawed[i]]);

  before(async () => {
    const pack = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, `npm run package failed:\n${pack.stdout}${pack.stderr}`);
    ws = makeWorkspace('finetuning:\n  enabled: false\n');
    ws.write('data/review.jsonl', jsonl(batch));
    daemon = await startDaemonProcess(ws);
    assert.equal(runCli(ws, ['assess', 'data/review.jsonl', '--json']).code, 0);
    vscode = await openVsCode({ vsix: path.join(ROOT, 'finetune-flywheel.vsix'), workspace: ws.dir, env: ws.env });
  });
  after(async () => {
    await vscode?.close();
    await daemon?.stop();
    ws?.remove();
  });

  const overrides = async () => {
    const c = await daemon.connect();
    try {
      return (await c.request(JudgeCalibrations, {})).overrides;
    } finally {
      c.close();
    }
  };

  it('shows the verdict, the average and the rule that decided in the code lens above a line, and a Reject there is a label', async () => {
    const { page } = vscode;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('review.jsonl');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'review.jsonl' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    // A rejected line: "✗ 0.62 · consistency 0.41 < 0.8  |  Accept  |  Reject  |  Re-judge".
    const lens = editor.locator('.codelens-decoration', { hasText: /✗ \d\.\d\d · / }).first();
    await lens.waitFor({ timeout: 120_000 });
    const text = (await lens.textContent()) ?? '';
    assert.match(text, /✗ \d\.\d\d · (\w+ \d\.\d\d < [\d.]+|average ≤ [\d.]+)/);
    for (const action of ['Accept', 'Reject', 'Re-judge']) assert.ok(text.includes(action), `${action} beside the verdict: ${text}`);
    await screenshot(page, 'vscode-verdict-lens');
    await lens.locator('a', { hasText: /^Reject$/ }).click();
    await editor.locator('.codelens-decoration', { hasText: /✗ rejected by hand · judge: ✗/ }).first().waitFor({ timeout: 30_000 });
    for (let i = 0; i < 50 && (await overrides()) < 1; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await overrides(), 1);
  });

  it('the Judge section shows the labels so far, the agreement figures and the calibration chart', async () => {
    // The other 39 labels as the editor sends them (the id and the sample's text).
    const c = await daemon.connect();
    for (const s of batch) await c.request(SamplesAnnotate, { id: sampleId(s), action: s.kind === 'good' ? 'accept' : 'reject', sample: { input: s.input, output: s.output } });
    c.close();
    const { page } = vscode;
    await runCommand(page, 'Fine-tune: Open Run Panel');
    const panel = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await panel.locator('#judge-overrides', { hasText: '40 Accept / Reject overrides so far' }).waitFor({ timeout: 60_000 });
    // The built-in judge is measured by itself once there are enough labels.
    await panel.locator('#judge-figures', { hasText: 'Spearman' }).waitFor({ timeout: 60_000 });
    assert.match((await panel.locator('#judge-figures').innerText()) ?? '', /Labels\s+40 \(people accept 50%\)/);
    assert.ok((await panel.locator('#judge-chart rect.judge-bar').count()) > 0, 'bars for the score buckets');
    await panel.locator('#judge').scrollIntoViewIfNeeded();
    await screenshot(page, 'vscode-judge-section');
  });

  it('calibrates from the panel after a preview, and reverts', async () => {
    const { page } = vscode;
    const panel = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await panel.getByRole('button', { name: 'Calibrate…' }).click();
    await panel.locator('#judge-preview').waitFor({ timeout: 60_000 });
    assert.match(await panel.locator('#judge-compare').innerText(), /Precision/);
    await screenshot(page, 'vscode-judge-preview');
    const pointer = path.join(ws.dir, 'data', '.flywheel', 'calibration', 'current.json');
    assert.ok(!fs.existsSync(pointer), 'nothing is written before Apply');
    await panel.getByRole('button', { name: 'Apply calibration' }).click();
    await panel.getByRole('button', { name: 'Revert calibration' }).waitFor({ timeout: 60_000 });
    assert.equal(JSON.parse(fs.readFileSync(pointer, 'utf8')).current, 'v1');
    await panel.locator('#judge-calibration', { hasText: 'workspace v1' }).waitFor();
    await panel.getByRole('button', { name: 'Revert calibration' }).click();
    await panel.locator('#judge-calibration', { hasText: 'the one the judge ships with' }).waitFor({ timeout: 60_000 });
    assert.equal(JSON.parse(fs.readFileSync(pointer, 'utf8')).current, null);
  });
});
