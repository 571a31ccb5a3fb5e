// The one global a VS Code webview gets. Tests provide a stub with the same shape.

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called once per page. */
export function getVsCodeApi(): VsCodeApi {
  if (typeof acquireVsCodeApi !== 'function') throw new Error('the run panel runs inside a VS Code webview (acquireVsCodeApi is missing)');
  return acquireVsCodeApi();
}
