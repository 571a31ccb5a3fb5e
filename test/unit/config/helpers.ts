import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../../daemon/config/ConfigError';
import { parseConfig } from '../../../daemon/config/load';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/config');
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** A fresh temporary workspace; config/models.yml is written when `text` is given. */
export function makeWorkspace(text?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flywheel-config-'));
  if (text !== undefined) writeConfig(dir, text);
  return dir;
}

export function writeConfig(workspace: string, text: string): string {
  const file = path.join(workspace, 'config', 'models.yml');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

export function removeWorkspace(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** The name config errors are reported under in these tests. */
export const CONFIG_FILE = 'config/models.yml';

/** The message a config text is rejected with; fails the test when it is accepted. */
export function configErrorOf(text: string): string {
  try {
    parseConfig(text, CONFIG_FILE);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    return err.toString();
  }
  return assert.fail('expected the config to be rejected');
}
