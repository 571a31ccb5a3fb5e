// The run panel's host side: one webview panel (viewType finetune.runPanel) showing the built
// webview (dist/webview) through the helpers beside it: buildPanelHtml for the page and
// its CSP, PanelChannel for the replaying message channel. The channel lives as long as the
// extension, so a panel opened (or restored after a reload) late still gets what happened.
import * as vscode from 'vscode';
import type { PanelChannel } from './PanelChannel';
import { buildPanelHtml, createNonce } from './panelHtml';

export const RUN_PANEL_VIEW_TYPE = 'finetune.runPanel';

export class RunPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly root: vscode.Uri;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    extensionUri: vscode.Uri,
    private readonly channel: PanelChannel,
  ) {
    this.root = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
    // Restores a panel that was open when the window reloaded (activation: onWebviewPanel:finetune.runPanel).
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel) => this.adopt(panel),
      }),
    );
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(RUN_PANEL_VIEW_TYPE, 'Fine-tune Run', vscode.ViewColumn.Active, this.options());
    this.adopt(panel);
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [this.root], enableFindWidget: true };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.root] };
    const webview = panel.webview;
    // Nothing is posted before the page says webview/ready; then the channel replays.
    this.channel.attach((m) => webview.postMessage(m));
    const subs = [
      webview.onDidReceiveMessage((m) => void this.channel.receive(m)),
      panel.onDidDispose(() => {
        subs.forEach((s) => s.dispose());
        if (this.panel === panel) {
          this.panel = undefined;
          this.channel.detach();
        }
      }),
    ];
    webview.html = buildPanelHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.root, 'main.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.root, 'main.css')).toString(),
      cspSource: webview.cspSource,
      nonce: createNonce(),
      title: 'Fine-tune Run',
    });
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.panel?.dispose();
  }
}
