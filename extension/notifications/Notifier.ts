// Notifications: a model version landed (promoted, or kept as a candidate with the gate's
// reason) and a run failed. Texts come from notificationText.ts; actions run our commands.
import * as vscode from 'vscode';
import { ModelsDidLand, RunsDidFinish } from '../../daemon/protocol';
import type { DaemonApi } from '../daemon/DaemonApi';
import {
  OPEN_MODEL_CARD,
  OPEN_RUN_PANEL,
  PROMOTE_ANYWAY,
  SHOW_LOGS,
  finishedNotification,
  landedNotification,
  type NotificationView,
} from './notificationText';

export class Notifier implements vscode.Disposable {
  private readonly subscriptions: { dispose(): void }[];

  constructor(api: DaemonApi) {
    this.subscriptions = [
      api.on(ModelsDidLand)((v) => {
        void this.show(landedNotification(v)).then((pick) => {
          if (pick === OPEN_MODEL_CARD) void vscode.commands.executeCommand('finetune.models.openCard', v);
          else if (pick === OPEN_RUN_PANEL) void vscode.commands.executeCommand('finetune.runPanel.open');
          else if (pick === PROMOTE_ANYWAY) void vscode.commands.executeCommand('finetune.models.promote', v);
        });
      }),
      api.on(RunsDidFinish)((r) => {
        const n = finishedNotification(r);
        if (n) void this.show(n).then((pick) => pick === SHOW_LOGS && vscode.commands.executeCommand('finetune.runs.showLogs', r));
      }),
    ];
  }

  private show(n: NotificationView): Thenable<string | undefined> {
    const show =
      n.severity === 'error' ? vscode.window.showErrorMessage : n.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(n.message, ...n.actions);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}
