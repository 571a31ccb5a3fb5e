// The extension's view of its daemon connection (no vscode).
export type ConnectionState =
  /** Never started (auto-start off and no daemon answered), or stopped on purpose. */
  | { kind: 'stopped'; message: string }
  | { kind: 'starting' }
  | { kind: 'running'; pid?: number }
  /** Lost, or could not be made; message says why. */
  | { kind: 'down'; message: string };

/** The value of the `finetune.daemonState` context key used in when-clauses. */
export function contextValue(state: ConnectionState): 'stopped' | 'starting' | 'running' | 'down' {
  return state.kind;
}
