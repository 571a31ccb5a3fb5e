// A fresh temp workspace per test, with its own config and runtime dir (socket, lock), removed after.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestWorkspace {
  dir: string;
  runtimeDir: string;
  env: NodeJS.ProcessEnv;
  write(rel: string, text: string): string;
  read(rel: string): string;
  remove(): void;
}

/** `config` is YAML written to config/models.yml; metrics go to a free port unless it says otherwise. */
export function makeWorkspace(config = ''): TestWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-ws-'));
  // Short, private runtime dir: Unix socket paths are limited to ~107 bytes.
  const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ft-rt-'));
  fs.chmodSync(runtimeDir, 0o700);
  const ws: TestWorkspace = {
    dir,
    runtimeDir,
    // No model hub here: the trainer must never try to download.
    env: { ...process.env, FINETUNE_RUNTIME_DIR: runtimeDir, HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' },
    write(rel, text) {
      const file = path.join(dir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
    read(rel) {
      return fs.readFileSync(path.join(dir, rel), 'utf8');
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(runtimeDir, { recursive: true, force: true });
    },
  };
  ws.write('config/models.yml', config.includes('metrics:') ? config : `${config}\nmetrics:\n  port: 0\n`);
  return ws;
}
