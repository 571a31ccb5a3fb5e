// Runs inside the Extension Development Host: mocha over the bundled suite files.
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: true });
  // The tests are bundled with this file: define mocha's globals, then load them.
  mocha.suite.emit('pre-require', globalThis, 'suite.js', mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after pre-require, on purpose
  require('./extension.test');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
