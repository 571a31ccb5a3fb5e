// A stand-in daemon for the reconcile tests: starts one run with a DockerRunner and prints each
// trainer event name on stdout, then waits to be killed (-9) — a daemon that dies mid-run.
//   node --require tsx/cjs test/docker/crashingDaemon.ts <socketPath> <image> <spec json>
import { DockerRunner } from '../../daemon/runs/runners/docker';
import type { RunSpec } from '../../daemon/runs/runners/types';

async function main(): Promise<void> {
  const [socketPath, image, specJson] = process.argv.slice(2);
  const spec = JSON.parse(specJson) as RunSpec;
  const runner = await DockerRunner.connect({ socketPath, image, baseImage: 'unused', dockerContext: '/nonexistent' });
  await runner.start(spec, {
    onEvent: (e) => process.stdout.write(`${e.event}\n`),
    onLog: () => undefined,
  });
  process.stdout.write('handle\n');
  setInterval(() => undefined, 1 << 30);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
