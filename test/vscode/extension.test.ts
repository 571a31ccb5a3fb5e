// The packaged extension in a real VS Code (code-server), against a real daemon, checked the way
// a developer would: the tree shows the datasets and counts, the JSONL file shows score badges and
// a hover with the criteria, the status bar shows samples to the threshold, "Fine-tune: Run"
// below the threshold is refused with the numbers, and after enough samples a run starts, the
// panel shows it, and the "new model version" notification appears. Screenshots are artifacts.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../helpers/daemonProcess';
import { jsonl, samplesOf } from '../helpers/samples';
import { makeWorkspace, type TestWorkspace } from '../helpers/workspace';
import { notification, openVsCode, ROOT, runCommand, screenshot, type VsCode } from './codeServer';

const CONFIG = `
finetuning:
  threshold: 6
  base_model: tiny-random-mistral
  runner: local
  method: full
  batch_size: 8
  gradient_accumulation_steps: 1
  learning_rate: 2e-3
  num_epochs: 4
  max_length: 256
  eval_split: 0.2
`;

describe('the extension in a real VS Code (code-server + Chromium)', () => {
  let ws: TestWorkspace;
  let vscode: VsCode;
  const good = samplesOf('good', 6, 71);
  const [flawed] = samplesOf('flawed', 1, 71);

  before(async () => {
    const pack = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, `npm run package failed:\n${pack.stdout}${pack.stderr}`);
    ws = makeWorkspace(CONFIG);
    ws.write('data/incoming.jsonl', jsonl(good.slice(0, 4)) + jsonl([flawed]) + '{"input": "a line without an output"}\n');
    const started = runCli(ws, ['daemon', '--detach', '--json']);
    assert.equal(started.code, 0, started.stderr);
    const ingest = runCli(ws, ['ingest', 'data/incoming.jsonl', '--json']);
    assert.equal(JSON.parse(ingest.stdout).accepted, 4, ingest.stderr);
    vscode = await openVsCode({ vsix: path.join(ROOT, 'finetune-flywheel.vsix'), workspace: ws.dir, env: ws.env });
  });

  after(async () => {
    if (vscode) {
      if (process.env.FT_KEEP_VSCODE_LOG) fs.writeFileSync(path.join(ROOT, 'test-results', 'code-server.log'), vscode.log());
      await vscode.close();
    }
    if (!ws) return;
    runCli(ws, ['cancel']);
    runCli(ws, ['daemon', '--stop']);
    ws.remove();
  });

  it('shows the samples still needed in the status bar', async () => {
    await vscode.page.locator('.statusbar-item', { hasText: '2 samples to fine-tune' }).first().waitFor({ timeout: 120_000 });
  });

  it('lists the datasets with their counts in the Fine-tune view', async () => {
    const { page } = vscode;
    await page.locator('.activitybar .action-item[aria-label^="Fine-tune"], .activitybar a[aria-label^="Fine-tune"]').first().click();
    const row = page.locator('.pane-body .monaco-list-row', { hasText: 'incoming.jsonl' }).first();
    await row.waitFor({ timeout: 60_000 });
    await page.locator('.pane-body .monaco-list-row', { hasText: 'finetuning_dataset.jsonl' }).first().waitFor({ timeout: 30_000 });
    assert.match((await row.textContent()) ?? '', /4/);
    await screenshot(page, 'vscode-dataset-tree');
  });

  it('annotates the JSONL file: a hover with each criterion, an error on the invalid line', async () => {
    const { page } = vscode;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('incoming.jsonl');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'incoming.jsonl' }).first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line').first().waitFor();
    // The invalid last line gets the daemon's error squiggle.
    await editor.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
    const firstLine = editor.locator('.view-line').first();
    const hover = page.locator('.monaco-hover', { hasText: 'consistency' });
    for (let i = 0; i < 8 && !(await hover.isVisible()); i++) {
      await page.mouse.move(0, 0);
      await firstLine.hover({ position: { x: 60 + i * 40, y: 8 } });
      await hover.first().waitFor({ state: 'visible', timeout: 4000 }).catch(() => undefined);
    }
    const text = (await hover.first().textContent()) ?? '';
    for (const c of ['coherence', 'consistency', 'fluency', 'relevance']) assert.ok(text.includes(c), `hover shows ${c}: ${text}`);
    await screenshot(page, 'vscode-annotated-jsonl');
  });

  it('filters the Datasets view: rejected only, sorted by a criterion, your overrides only', async () => {
    const { page } = vscode;
    await page.keyboard.press('Escape');
    const rows = page.locator('.pane-body .monaco-list-row');
    const sampleRow = (line: number) => rows.filter({ hasText: new RegExp(`line ${line} ·`) });
    const dataset = rows.filter({ hasText: 'incoming.jsonl' }).first();
    await dataset.click();
    await sampleRow(1).first().waitFor({ timeout: 30_000 });
    const pickFilter = async (label: string) => {
      await runCommand(page, 'Fine-tune: Filter Samples…');
      await page.locator('.quick-input-widget input').fill(label);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor();
      await page.keyboard.press('Enter');
    };
    await pickFilter('Rejected only');
    await dataset.filter({ hasText: 'showing rejected only' }).waitFor({ timeout: 30_000 });
    await sampleRow(5).first().waitFor();
    await sampleRow(1).waitFor({ state: 'detached' });
    await pickFilter('Sort by consistency');
    await dataset.filter({ hasText: 'rejected only · by consistency' }).waitFor({ timeout: 30_000 });
    await pickFilter('All samples, in file order');
    await sampleRow(1).first().waitFor({ timeout: 30_000 });
    // A person's override: the flawed line accepted by hand (it is not in the training dataset, so no count changes).
    const annotated = runCli(ws, ['annotate', 'accept', 'data/incoming.jsonl:5']);
    assert.equal(annotated.code, 0, annotated.stderr);
    await pickFilter('Your overrides only');
    await dataset.filter({ hasText: 'showing your overrides only' }).waitFor({ timeout: 30_000 });
    await sampleRow(5).filter({ hasText: 'accepted by you' }).first().waitFor({ timeout: 30_000 });
    await sampleRow(1).waitFor({ state: 'detached' });
    await screenshot(page, 'vscode-dataset-filter');
    await pickFilter('All samples, in file order');
    await sampleRow(1).first().waitFor({ timeout: 30_000 });
  });

  it('refuses "Fine-tune: Run" below the threshold with the numbers', async () => {
    await vscode.page.keyboard.press('Escape');
    await runCommand(vscode.page, 'Fine-tune: Run');
    await notification(vscode.page, /4 of 6.*2 more/).waitFor({ timeout: 60_000 });
  });

  it('starts a run once enough samples arrive, shows it in the panel, and announces the new version', async () => {
    const { page } = vscode;
    ws.write('data/more.jsonl', jsonl(good.slice(4)));
    const more = runCli(ws, ['ingest', 'data/more.jsonl', '--json']);
    assert.equal(JSON.parse(more.stdout).accepted, 2, more.stderr);
    await runCommand(page, 'Fine-tune: Open Run Panel');
    const panel = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
    await panel.locator('body').waitFor({ timeout: 60_000 });
    await panel.locator('text=/run-/').first().waitFor({ timeout: 120_000 });
    await screenshot(page, 'vscode-run-panel');
    await notification(page, /new model version v1/).waitFor({ timeout: 300_000 });
    await screenshot(page, 'vscode-model-landed');
  });
});
