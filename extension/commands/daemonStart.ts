// Fine-tune: Start Daemon (finetune.daemon.start): connects to the workspace's daemon, starting
// one (detached) when none answers, whatever finetune.daemon.autoStart says.
import * as vscode from 'vscode';
import type { Command } from './types';

export const daemonStart: Command = {
  id: 'finetune.daemon.start',
  title: 'Start Daemon',
  needsDaemon: false,
  run: async (ctx) => {
    if (ctx.state.connection.kind === 'running') {
      void vscode.window.showInformationMessage(`Fine-tune: the daemon is running${ctx.state.connection.pid ? ` (pid ${ctx.state.connection.pid})` : ''}.`);
      return;
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Starting the Fine-tune daemon…' }, () => ctx.connection.start(true));
  },
};
