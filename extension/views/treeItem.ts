// ItemView (what an item shows, built without vscode) → vscode.TreeItem.
import * as vscode from 'vscode';
import { describeError } from '../errors';
import type { ItemView } from './itemView';

export function treeItem(view: ItemView, id: string, collapsible = vscode.TreeItemCollapsibleState.None): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, collapsible);
  item.id = id;
  item.description = view.description;
  const tooltip = new vscode.MarkdownString(view.tooltip);
  tooltip.supportThemeIcons = true;
  item.tooltip = tooltip;
  item.iconPath = new vscode.ThemeIcon(view.icon.id, view.icon.color ? new vscode.ThemeColor(view.icon.color) : undefined);
  item.contextValue = view.contextValue;
  return item;
}

/** An item that says a request failed, in place of the children it could not list. */
export function errorItem(err: unknown, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(describeError(err), vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.contextValue = 'finetune.error';
  return item;
}

/** Runs fn at most once per `ms`, after the last call (notifications come in bursts during an ingest). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  const wrapped = (...args: A) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...args);
    }, ms);
  };
  return Object.assign(wrapped, { dispose: () => timer && clearTimeout(timer) });
}
