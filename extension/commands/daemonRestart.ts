// Fine-tune: Restart Daemon (finetune.daemon.restart): asks the daemon to shut down (a run in
// progress is re-attached by the new daemon), waits for its process to end, starts a new one.
import * as vscode from 'vscode';
import type { Command } from './types';

export const daemonRestart: Command = {
  id: 'finetune.daemon.restart',
  title: 'Restart Daemon',
  needsDaemon: false,
  run: (ctx) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Fine-tune: restarting the daemon…' }, () => ctx.connection.restartDaemon()),
};
