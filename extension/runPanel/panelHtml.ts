// Host side (runs in the extension host, imports nothing): the run panel's HTML and its CSP.
// The extension passes `webview.asWebviewUri(...)` strings and `webview.cspSource`.

export interface PanelHtmlOptions {
  /** URI of dist/webview/main.js as the webview may load it. */
  scriptUri: string;
  /** URI of dist/webview/main.css. */
  styleUri: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh value per page load, e.g. from createNonce(). */
  nonce: string;
  title?: string;
}

const NONCE = /^[A-Za-z0-9+/_-]{16,128}={0,2}$/;

/** The Content-Security-Policy of the panel: no inline code, nothing remote. */
export function panelCsp(cspSource: string, nonce: string): string {
  checkNonce(nonce);
  if (/[;\r\n"]/.test(cspSource)) throw new Error(`unexpected characters in cspSource: ${JSON.stringify(cspSource)}`);
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function buildPanelHtml(o: PanelHtmlOptions): string {
  const csp = panelCsp(o.cspSource, o.nonce);
  const title = o.title ?? 'Fine-tune run';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="muted">Loading the run panel…</p></main>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** 32 random base64url characters (192 bits) from the platform's crypto. */
export function createNonce(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_');
}

function checkNonce(nonce: string): void {
  if (!NONCE.test(nonce)) throw new Error('the CSP nonce must be 16 to 128 base64 characters');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
