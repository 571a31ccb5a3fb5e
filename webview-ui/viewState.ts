// What the panel keeps across reloads via setState/getState: ids, the cursor and view state.
// Never data: everything shown comes back from the host after webview/ready.
import { z } from 'zod';

const savedState = z.object({
  v: z.literal(1),
  epoch: z.string().max(100).nullable().catch(null),
  cursor: z.number().int().min(-1).catch(-1),
  /** The run the user picked in the history; null: follow the active or latest run. */
  selectedRunId: z.string().max(200).nullable().catch(null),
  /** Show every daemon log entry instead of the displayed run's. */
  allLogs: z.boolean().catch(false),
});
export type SavedState = z.infer<typeof savedState>;

export const EMPTY_STATE: SavedState = { v: 1, epoch: null, cursor: -1, selectedRunId: null, allLogs: false };

export function loadState(raw: unknown): SavedState {
  const r = savedState.safeParse(raw);
  return r.success ? r.data : { ...EMPTY_STATE };
}

export interface ViewState {
  selectedRunId: string | null;
  allLogs: boolean;
}
