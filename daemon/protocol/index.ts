// The one contract between daemon, CLI, extension and webview. No node, vscode or DOM imports here.
export * from './errors';
export * from './common';
export * from './define';
export * from './daemon';
export * from './status';
export * from './config';
export * from './samples';
export * from './datasets';
export * from './runs';
export * from './models';
export * from './logs';
export * from './progress';
export * from './webview';
export * from './editor';
export * from './judge';
