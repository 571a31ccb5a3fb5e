// The `finetune` command: every subcommand talks to the workspace's daemon over its socket.
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { describeError } from '../client/DaemonClient';
import { makeContext, UsageError, type CliContext } from './context';
import { assess } from './commands/assess';
import { cancel } from './commands/cancel';
import { daemon } from './commands/daemon';
import { ingest } from './commands/ingest';
import { logs } from './commands/logs';
import { models } from './commands/models';
import { run } from './commands/run';
import { runs } from './commands/runs';
import { status } from './commands/status';

const COMMANDS: Record<string, { run(ctx: CliContext): Promise<number>; usage: string }> = {
  daemon: { run: daemon, usage: 'daemon [--detach] [--stop]     start the workspace daemon (foreground unless --detach), or stop it' },
  status: { run: status, usage: 'status                         samples collected, samples to the threshold, model, active run' },
  ingest: { run: ingest, usage: 'ingest FILE                    judge every line of FILE and keep the high-quality samples' },
  assess: { run: assess, usage: 'assess FILE                    judge every line of FILE without storing it' },
  run: { run: run, usage: 'run [--force] [--wait]         start a fine-tuning run (--force: below the threshold)' },
  cancel: { run: cancel, usage: 'cancel [RUN]                   cancel the active run (or RUN)' },
  runs: { run: runs, usage: 'runs                           list runs' },
  models: { run: models, usage: 'models [promote vN | rollback] list model versions, or switch the current one by hand' },
  logs: { run: logs, usage: 'logs [-f]                      show the daemon log (-f: follow)' },
};

function usage(): string {
  return [
    'usage: finetune <command> [options]',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage}`),
    '',
    'options:',
    '  --workspace DIR   the workspace (default: the current folder)',
    '  --json            machine-readable output',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        workspace: { type: 'string', short: 'w' },
        json: { type: 'boolean' },
        detach: { type: 'boolean' },
        stop: { type: 'boolean' },
        force: { type: 'boolean' },
        wait: { type: 'boolean' },
        follow: { type: 'boolean', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`finetune: ${(err as Error).message}\n\n${usage()}\n`);
    return 2;
  }
  const [name, ...args] = parsed.positionals;
  if (parsed.values.help || !name) {
    (name ? process.stdout : process.stderr).write(usage() + '\n');
    return parsed.values.help ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`finetune: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const ctx = makeContext(parsed.values.workspace, parsed.values.json === true, args, parsed.values);
  try {
    return await command.run(ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`finetune: ${err.message}\n`);
      return 2;
    }
    const message = err instanceof ConfigError ? err.toString() : describeError(err);
    if (ctx.json) process.stdout.write(JSON.stringify({ error: message }) + '\n');
    process.stderr.write(`finetune ${name}: ${message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`finetune: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
