// The 'Fine-tune' status bar item (id finetune.status): samples to the threshold, the active
// run's progress, or that the daemon is down. Its text comes from statusBarText.ts.
import * as vscode from 'vscode';
import type { FlywheelState } from '../state/FlywheelState';
import { statusBarView } from './statusBarText';

export const STATUS_BAR_ID = 'finetune.status';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: { dispose(): void };

  constructor(private readonly state: FlywheelState) {
    this.item.name = 'Fine-tune';
    this.subscription = state.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  private render(): void {
    const v = statusBarView(this.state.connection, this.state.status, this.state.activeProgress);
    this.item.text = v.text;
    this.item.tooltip = v.tooltip;
    this.item.command = v.command;
    this.item.accessibilityInformation = { label: v.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    this.item.backgroundColor =
      v.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : v.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
