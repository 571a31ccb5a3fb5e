// The `finetune` command: every subcommand talks to the workspace's daemon over its socket.
import { parseArgs } from 'node:util';
import { toProtocolError } from '../errors/toProtocolError';
import { makeContext, printJson, UsageError, type CliContext } from './context';
import { annotate } from './commands/annotate';
import { assess } from './commands/assess';
import { cancel } from './commands/cancel';
import { daemon } from './commands/daemon';
import { ingest } from './commands/ingest';
import { judge } from './commands/judge';
import { logs } from './commands/logs';
import { models } from './commands/models';
import { run } from './commands/run';
import { runs } from './commands/runs';
import { status } from './commands/status';

interface Command {
  run(ctx: CliContext): Promise<number>;
  usage: string;
  /** The most positional arguments it takes; more is a usage error. */
  maxArgs?: number;
}

const COMMANDS: Record<string, Command> = {
  daemon: { run: daemon, maxArgs: 0, usage: 'daemon [--detach] [--stop]     start the workspace daemon (foreground unless --detach), or stop it' },
  status: { run: status, maxArgs: 0, usage: 'status                         samples collected, samples to the threshold, model, active run' },
  ingest: { run: ingest, maxArgs: 1, usage: 'ingest FILE                    judge every line of FILE and keep the high-quality samples' },
  assess: { run: assess, maxArgs: 1, usage: 'assess FILE                    judge every line of FILE without storing it' },
  run: { run: run, maxArgs: 0, usage: 'run [--force] [--wait]         start a fine-tuning run (--force: below the threshold)' },
  cancel: { run: cancel, maxArgs: 1, usage: 'cancel [RUN]                   cancel the active run (or RUN)' },
  runs: { run: runs, maxArgs: 0, usage: 'runs                           list runs' },
  models: { run: models, maxArgs: 2, usage: 'models [promote vN | rollback] list model versions, or switch the current one by hand' },
  logs: { run: logs, maxArgs: 0, usage: 'logs [-f]                      show the daemon log (-f: follow)' },
  annotate: { run: annotate, maxArgs: 2, usage: 'annotate VERDICT FILE:LINE     a person\'s accept or reject of a sample, a label for judge eval (also: correct --output TEXT, note --note TEXT)' },
  judge: { run: judge, maxArgs: 1, usage: 'judge SUBCOMMAND               the judge against people\'s labels: eval [--labels FILE], calibrate [--yes | --revert], calibrations' },
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
        labels: { type: 'string' },
        precision: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        revert: { type: 'boolean' },
        output: { type: 'string' },
        note: { type: 'string' },
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
    if (command.maxArgs !== undefined && args.length > command.maxArgs) {
      const takes = command.maxArgs === 0 ? 'takes no arguments' : `takes at most ${command.maxArgs} argument${command.maxArgs === 1 ? '' : 's'}`;
      throw new UsageError(`${name} ${takes}, got "${args.join(' ')}"`, `usage: finetune ${command.usage.replace(/\s{2,}.*$/, '')}`);
    }
    return await command.run(ctx);
  } catch (err) {
    return report(ctx, name, err);
  }
}

/**
 * Every failure, from the daemon or from this process, through the daemon's one error mapping:
 * the message, then what to do next. --json adds the protocol code and the stable kind.
 */
function report(ctx: CliContext, name: string, err: unknown): number {
  const { code, message, data } = toProtocolError(err);
  const text = data.hint ? `${message}\n  hint: ${data.hint}` : message;
  if (ctx.json) printJson(ctx, { error: text, code, kind: data.kind, ...(data.hint ? { hint: data.hint } : {}) });
  process.stderr.write(`${data.kind === 'usage' ? 'finetune' : `finetune ${name}`}: ${text}\n`);
  return data.kind === 'usage' ? 2 : 1;
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
