// Registers the command table. Every command is wrapped: while the daemon is down one that
// needs it explains why and offers to start it; while it is connecting, it waits a little; an
// error from the daemon is shown with its hint instead of failing silently.
import * as vscode from 'vscode';
import { DaemonDownError, describeError, isCancellation } from '../errors';
import { NoSampleError } from './sampleTarget';
import { commandTable } from './table';
import type { Command, CommandContext } from './types';

const CONNECT_WAIT_MS = 20_000;

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return commandTable.map((cmd) => vscode.commands.registerCommand(cmd.id, (...args: unknown[]) => invoke(ctx, cmd, args)));
}

async function invoke(ctx: CommandContext, cmd: Command, args: unknown[]): Promise<unknown> {
  try {
    if (cmd.needsDaemon && !ctx.api.connected && !(await waitForConnection(ctx))) return explainDown(ctx, cmd);
    return await cmd.run(ctx, ...args);
  } catch (err) {
    if (err instanceof DaemonDownError) return explainDown(ctx, cmd);
    if (isCancellation(err)) return undefined;
    if (err instanceof NoSampleError) {
      void vscode.window.showInformationMessage(`Fine-tune: ${err.message}.`);
      return undefined;
    }
    ctx.output.error(`${cmd.id} failed: ${describeError(err)}`);
    void vscode.window.showErrorMessage(`Fine-tune: ${cmd.title.replace(/…$/, '')} failed: ${describeError(err)}`, 'Show Logs').then((pick) => {
      if (pick === 'Show Logs') ctx.output.show(true);
    });
    return undefined;
  }
}

/** While the connection is being made, wait for it (a command run right after the window opened). */
async function waitForConnection(ctx: CommandContext): Promise<boolean> {
  if (ctx.state.connection.kind !== 'starting') return false;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Fine-tune: connecting to the daemon…' }, () =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(ctx.api.connected), CONNECT_WAIT_MS);
      const sub = ctx.state.onDidChange(() => ctx.state.connection.kind !== 'starting' && done(ctx.api.connected));
      function done(ok: boolean) {
        clearTimeout(timer);
        sub.dispose();
        resolve(ok);
      }
    }),
  );
}

function explainDown(ctx: CommandContext, cmd: Command): void {
  const c = ctx.state.connection;
  const why = c.kind === 'down' || c.kind === 'stopped' ? c.message : 'the connection is still being made';
  void vscode.window
    .showWarningMessage(`Fine-tune: "${cmd.title.replace(/…$/, '')}" needs the Fine-tune daemon, which is not running: ${why}`, 'Start Daemon', 'Show Logs')
    .then((pick) => {
      if (pick === 'Start Daemon') void vscode.commands.executeCommand('finetune.daemon.start');
      else if (pick === 'Show Logs') ctx.output.show(true);
    });
}
