// The only vscode stub of the unit tier: lets a test load modules that import 'vscode' but only
// touch it when a command runs (the command table). Loading is all the tests do with them.
// Importing this file installs it; import it before the module under test.
import Module from 'node:module';

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Load };
const stub = Object.freeze({});
let installed = false;

export function installVscodeStub(): void {
  if (installed) return;
  installed = true;
  const load = mod._load;
  mod._load = function (request, parent, isMain) {
    if (request === 'vscode') return stub;
    return load.call(this, request, parent, isMain);
  };
}

installVscodeStub();
