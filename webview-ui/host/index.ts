// Host-side helpers for the run panel, for extension/runPanel/ (no vscode import here).
export { buildPanelHtml, createNonce, panelCsp, type PanelHtmlOptions } from './panelHtml';
export { PanelChannel, PanelRequestError, toRpcError, type PanelChannelOptions, type PanelHandlers, type PostMessage } from './PanelChannel';
