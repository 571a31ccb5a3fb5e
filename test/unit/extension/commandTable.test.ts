// The command table against package.json: every contributed command is registered and every
// registered command is contributed, with the same title; menus, palette entries and activation
// events name only contributed commands; the drivable ids (views, sample commands) hold.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SampleCommands } from '../../../daemon/protocol';
import './vscodeStub';
import { commandTable as table } from '../../../extension/commands/table';

interface Contributed {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}
interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}
const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  activationEvents: string[];
  main: string;
  contributes: {
    commands: Contributed[];
    menus: Record<string, MenuEntry[]>;
    views: Record<string, { id: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    configuration: { properties: Record<string, { default?: unknown }> };
    languages: { id: string; extensions: string[] }[];
  };
  scripts: Record<string, string>;
};

describe('extension command table vs package.json', () => {
  it('registers every contributed command and contributes every registered one, with the same title', () => {
    const contributed = new Map(pkg.contributes.commands.map((c) => [c.command, c]));
    const registered = new Map(table.map((c) => [c.id, c]));
    assert.equal(registered.size, table.length, 'a command is in the table twice');
    assert.deepEqual([...registered.keys()].sort(), [...contributed.keys()].sort());
    for (const [id, c] of contributed) {
      assert.equal(registered.get(id)!.title, c.title, `title of ${id}`);
      assert.equal(c.category, 'Fine-tune', `${id} is in the Fine-tune category (the palette shows "Fine-tune: ${c.title}")`);
      assert.match(id, /^finetune\.[a-zA-Z]+\.[a-zA-Z]+$/, `${id} is finetune.<area>.<verb>`);
    }
  });

  it('keeps the titles the end-to-end test drives', () => {
    const title = (id: string) => pkg.contributes.commands.find((c) => c.command === id)?.title;
    assert.equal(title('finetune.run.start'), 'Run');
    assert.equal(title('finetune.run.cancel'), 'Cancel Run');
    assert.equal(title('finetune.runPanel.open'), 'Open Run Panel');
    assert.equal(title('finetune.datasets.assess'), 'Assess Current File');
    assert.equal(title('finetune.logs.show'), 'Show Logs');
    assert.equal(title('finetune.models.promote'), 'Promote Model Version');
    assert.equal(title('finetune.daemon.start'), 'Start Daemon');
    assert.equal(title('finetune.daemon.restart'), 'Restart Daemon');
  });

  it('registers the sample commands the daemon puts in code lenses and code actions', () => {
    const ids = new Set(table.map((c) => c.id));
    for (const id of Object.values(SampleCommands)) assert.ok(ids.has(id), id);
  });

  it('gives every command a palette when-clause, and menus name only contributed commands', () => {
    const ids = new Set(pkg.contributes.commands.map((c) => c.command));
    const palette = pkg.contributes.menus.commandPalette;
    assert.deepEqual(palette.map((e) => e.command).sort(), [...ids].sort());
    for (const e of palette) assert.ok(e.when && e.when.trim(), `${e.command} has a when-clause`);
    for (const [menu, entries] of Object.entries(pkg.contributes.menus)) {
      for (const e of entries) assert.ok(ids.has(e.command), `${menu} names ${e.command}, which is not contributed`);
    }
    // Commands that need an item are not offered in the palette without one.
    assert.equal(palette.find((e) => e.command === 'finetune.datasets.loadMore')!.when, 'false');
  });

  it('activates lazily: the workspace, JSONL, the views, the run panel, the commands; never "*"', () => {
    const events = new Set(pkg.activationEvents);
    assert.ok(!events.has('*'));
    for (const e of ['workspaceContains:config/models.yml', 'onLanguage:jsonl', 'onWebviewPanel:finetune.runPanel']) assert.ok(events.has(e), e);
    for (const v of ['finetune.datasets', 'finetune.models', 'finetune.runs']) assert.ok(events.has(`onView:${v}`), v);
    for (const c of pkg.contributes.commands) assert.ok(events.has(`onCommand:${c.command}`), c.command);
    for (const e of events) if (e.startsWith('onCommand:')) assert.ok(pkg.contributes.commands.some((c) => `onCommand:${c.command}` === e), `${e} names no contributed command`);
  });

  it('contributes the Fine-tune container with the three views, the settings and the jsonl language', () => {
    assert.deepEqual(pkg.contributes.viewsContainers.activitybar.map((c) => [c.id, c.icon]), [['finetune', '$(beaker)']]);
    assert.deepEqual(pkg.contributes.views.finetune.map((v) => v.id), ['finetune.datasets', 'finetune.models', 'finetune.runs']);
    const settings = pkg.contributes.configuration.properties;
    assert.equal(settings['finetune.datasetGlob'].default, 'data/**/*.jsonl');
    assert.equal(settings['finetune.daemon.autoStart'].default, true);
    assert.equal(settings['finetune.trace.server'].default, 'off');
    assert.ok('finetune.nodePath' in settings);
    assert.deepEqual(pkg.contributes.languages.find((l) => l.id === 'jsonl')?.extensions, ['.jsonl']);
    assert.equal(pkg.main, './dist/extension.js');
    assert.match(pkg.scripts.package, /vsce package --no-dependencies .*-o finetune-flywheel\.vsix/);
  });
});
