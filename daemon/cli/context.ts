// What every command gets: the parsed flags, the workspace, and output helpers that keep
// --json output machine-readable (one JSON document or one object per line) and messages on stderr.
import * as path from 'node:path';
import { DaemonClient } from '../client/DaemonClient';
import { DomainError } from '../errors/DomainError';

export interface CliContext {
  workspace: string;
  json: boolean;
  args: string[];
  flags: Record<string, string | boolean | undefined>;
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  connect(): Promise<DaemonClient>;
}

/** A bad command line (exit code 2); the hint shows how the command is used. */
export class UsageError extends DomainError {
  constructor(message: string, hint: string) {
    super('usage', message, hint);
    this.name = 'UsageError';
  }
}

export function makeContext(workspaceFlag: string | undefined, json: boolean, args: string[], flags: CliContext['flags']): CliContext {
  const workspace = path.resolve(workspaceFlag ?? process.cwd());
  return {
    workspace,
    json,
    args,
    flags,
    out: process.stdout,
    err: process.stderr,
    connect: () => DaemonClient.connect(workspace),
  };
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out.write(JSON.stringify(value) + '\n');
}

/** Connects, runs `body`, and always closes the connection. */
export async function withClient<T>(ctx: CliContext, body: (client: DaemonClient) => Promise<T>): Promise<T> {
  const client = await ctx.connect();
  try {
    return await body(client);
  } finally {
    client.close();
  }
}
