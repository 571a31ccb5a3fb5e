// The extension's settings (finetune.*), read fresh each time.
import * as vscode from 'vscode';

export interface Settings {
  datasetGlob: string;
  autoStart: boolean;
  /** Empty: VS Code's own runtime. */
  nodePath: string;
}

export function settings(): Settings {
  const c = vscode.workspace.getConfiguration('finetune');
  return {
    datasetGlob: c.get<string>('datasetGlob') || 'data/**/*.jsonl',
    autoStart: c.get<boolean>('daemon.autoStart', true),
    nodePath: c.get<string>('nodePath', '').trim(),
  };
}
