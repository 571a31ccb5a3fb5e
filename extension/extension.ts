// The VS Code client. The full client (language client over the daemon socket, explorer,
// annotations, run panel, status bar) is tracked by issue 4; this entry builds and activates.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Registration happens in issue 4's client; activation stays cheap by design.
}

export function deactivate(): void {}
