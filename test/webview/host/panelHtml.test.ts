import assert from 'node:assert/strict';
import { buildPanelHtml, createNonce, panelCsp } from '../../../extension/runPanel/panelHtml';

describe('panel HTML (host side)', () => {
  const nonce = 'abcdefghijklmnopqrstuvwx';

  it('has the design\'s CSP: nothing by default, scripts by nonce, styles/images/fonts from the webview only', () => {
    assert.equal(
      panelCsp('https://x.vscode-cdn.net', nonce),
      `default-src 'none'; script-src 'nonce-${nonce}'; style-src https://x.vscode-cdn.net; img-src https://x.vscode-cdn.net data:; font-src https://x.vscode-cdn.net`,
    );
  });

  it('loads the script with the nonce and the stylesheet, and escapes what it is given', () => {
    const html = buildPanelHtml({ scriptUri: 'https://w/main.js?a=1&b="2"', styleUri: 'https://w/main.css', cspSource: 'https://w', nonce, title: '<run>' });
    assert.match(html, new RegExp(`<script nonce="${nonce}" src="https://w/main\\.js\\?a=1&amp;b=&quot;2&quot;"></script>`));
    assert.match(html, /<link rel="stylesheet" href="https:\/\/w\/main\.css">/);
    assert.match(html, /<title>&lt;run&gt;<\/title>/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'no inline script');
  });

  it('refuses a weak nonce or a cspSource that would break out of its directive', () => {
    assert.throws(() => panelCsp('https://w', 'short'), /nonce/);
    assert.throws(() => panelCsp('https://w', 'abc"def<ghijklmnopqrstuvw'), /nonce/);
    assert.throws(() => panelCsp("https://w; script-src 'unsafe-inline'", nonce), /cspSource/);
  });

  it('makes a new 32-character nonce each time', () => {
    const a = createNonce();
    assert.match(a, /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(createNonce(), a);
    assert.doesNotThrow(() => panelCsp('https://w', a));
  });
});
