// What a tree item shows, independent of VS Code: the tree providers turn it into a TreeItem.
export interface ItemIcon {
  /** A codicon id, e.g. "pass" or "sync~spin". */
  id: string;
  /** A theme color id, e.g. "testing.iconPassed". */
  color?: string;
}

export interface ItemView {
  label: string;
  description?: string;
  /** Markdown. */
  tooltip: string;
  icon: ItemIcon;
  /** For view/item/context menus: `when: viewItem == ...`. */
  contextValue: string;
}
