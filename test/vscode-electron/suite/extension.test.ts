// The extension in a real VS Code with the real daemon: activation, connection, commands,
// the daemon's JSONL features (code lenses, hovers), the run panel, a daemon restart.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FinetuneExtensionApi } from '../../../extension/extension';
import type { RunStartOutcome } from '../../../extension/commands/runStartFlow';
import { DATASET, THRESHOLD } from '../workspace';

const EXTENSION_ID = 'finetune-flywheel.finetune-flywheel';
const workspace = process.env.FINETUNE_TEST_WORKSPACE!;

/** Resolves when `ready()` holds, re-checking on each change signal; fails after `ms`. */
function until(api: FinetuneExtensionApi, ready: () => boolean, what: string, ms = 60_000): Promise<void> {
  if (ready()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; connection: ${JSON.stringify(api.connection())}`));
    }, ms);
    const sub = api.onDidChange(() => {
      if (!ready()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** Polls a provider command (VS Code has no signal for "the language server answered"). */
async function eventually<T>(get: () => Thenable<T>, ok: (v: T) => boolean, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Fine-tune extension in VS Code', () => {
  let api: FinetuneExtensionApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<FinetuneExtensionApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    api = await ext.activate();
    assert.ok(api, 'activated on a workspace with config/models.yml');
  });

  it('starts the workspace daemon and shows its status', async () => {
    await until(api, () => api.connection().kind === 'running' && api.status() !== undefined, 'the daemon connection');
    const s = api.status()!;
    assert.equal(s.threshold, THRESHOLD);
    assert.equal(path.resolve(s.workspace), path.resolve(workspace));
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of contributed) assert.ok(all.has(id), id);
  });

  it("puts the judge's verdicts on the dataset's lines: code lenses and hovers from the daemon", async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspace, DATASET)));
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'jsonl');
    const lenses = await eventually(
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10),
      (l) => (l ?? []).some((x) => x.command?.command === 'finetune.sample.accept'),
      'code lenses with Accept',
    );
    const accept = lenses.find((l) => l.command?.command === 'finetune.sample.accept')!;
    const arg = accept.command!.arguments![0] as { id: string; uri: string; line: number };
    assert.equal(typeof arg.id, 'string');
    assert.equal(typeof arg.line, 'number');
    const hovers = await eventually(
      () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 2)),
      (h) => (h ?? []).length > 0,
      'a hover on the first sample',
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /coherence|average|judge/i);
  });

  it("'Fine-tune: Run' below the threshold offers Run Anyway with the numbers", async () => {
    const outcome = await vscode.commands.executeCommand<RunStartOutcome>('finetune.run.start');
    assert.equal(outcome.kind, 'below-threshold');
    assert.match(outcome.message, new RegExp(`of ${THRESHOLD} high-quality samples collected`));
    assert.deepEqual(outcome.actions, ['Run Anyway']);
  });

  it('opens the run panel', async () => {
    await vscode.commands.executeCommand('finetune.runPanel.open');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    assert.ok(
      tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('finetune.runPanel')),
      'a Fine-tune Run tab',
    );
  });

  it('restarts the daemon and reconnects', async () => {
    const before = api.connection();
    assert.equal(before.kind, 'running');
    const pid = before.kind === 'running' ? before.pid : undefined;
    await vscode.commands.executeCommand('finetune.daemon.restart');
    await until(api, () => api.connection().kind === 'running', 'the reconnection');
    const after = api.connection();
    assert.ok(after.kind === 'running' && after.pid !== pid, `a new daemon process (was ${pid})`);
  });
});
