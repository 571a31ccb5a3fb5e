// The import boundaries fail `npm run lint`: each forbidden arrow of the design, linted as a file
// in the folder it would come from, is an error of boundaries/imports; the allowed ones are not.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');

describe('import boundaries (lint)', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: ROOT });

  async function boundaryErrors(file: string, spec: string): Promise<string[]> {
    const [result] = await eslint.lintText(`import * as x from '${spec}';\nexport const y = x;\n`, { filePath: path.join(ROOT, file) });
    return result.messages.filter((m) => m.ruleId === 'boundaries/imports').map((m) => m.message);
  }

  const denied: [string, string, RegExp][] = [
    ['daemon/core/wiring.ts', '../server/handlers', /core\/ wires services/],
    ['daemon/runs/x.ts', '../server/dispatch', /runs\/ owns runs/],
    ['daemon/runs/x.ts', '../core/Flywheel', /runs\/ owns runs/],
    ['daemon/assess/x.ts', '../server/lsp/features', /assess\/ judges/],
    ['daemon/assess/x.ts', '../runs/RunService', /assess\/ judges/],
    ['daemon/store/x.ts', '../server/SocketServer', /the store knows no services, runs or server/],
    ['daemon/store/x.ts', '../runs/RunBook', /the store knows no services, runs or server/],
    ['daemon/workspace/x.ts', '../server/dispatch', /workspace paths/],
    ['daemon/config/x.ts', '../runs/threshold', /config knows no services/],
    ['daemon/judge/x.ts', '../runs/RunService', /judges know no services/],
    ['daemon/protocol/x.ts', '../errors/DomainError', /the protocol imports nothing of ours/],
    ['daemon/server/x.ts', '../core/Flywheel', /server\/ only translates/],
    ['daemon/server/x.ts', '../store/DatasetStore', /server\/ only translates/],
    ['daemon/server/lsp/x.ts', '../../registry/ModelRegistry', /server\/ only translates/],
    ['daemon/server/x.ts', '../runs/RunBook', /server\/ only translates/],
    ['extension/x.ts', '../daemon/config/load', /the extension talks to the daemon only through the protocol/],
    ['extension/runPanel/x.ts', '../../daemon/server/handlers', /the extension talks to the daemon only through the protocol/],
    ['extension/runPanel/x.ts', '../../webview-ui/main', /the extension talks to the daemon only through the protocol/],
  ];
  for (const [file, spec, why] of denied) {
    it(`${file} → ${spec} is an error`, async () => {
      const errors = await boundaryErrors(file, spec);
      assert.equal(errors.length, 1, `expected one boundaries/imports error, got ${JSON.stringify(errors)}`);
      assert.match(errors[0], why);
    });
  }

  const allowed: [string, string][] = [
    ['extension/x.ts', '../daemon/protocol'],
    ['extension/daemon/x.ts', '../../daemon/shared/instanceLock'],
    ['extension/daemon/x.ts', '../../daemon/client/DaemonClient'],
    ['daemon/server/x.ts', '../runs/RunService'],
    ['daemon/server/lsp/x.ts', '../../store/jsonlLines'],
    ['daemon/server/x.ts', '../assess/AssessService'],
    ['daemon/runs/x.ts', '../assess/TrainingSet'],
    ['daemon/core/x.ts', '../runs/RunService'],
    ['daemon/store/x.ts', '../errors/DomainError'],
  ];
  for (const [file, spec] of allowed) {
    it(`${file} → ${spec} is allowed`, async () => {
      assert.deepEqual(await boundaryErrors(file, spec), []);
    });
  }
});
