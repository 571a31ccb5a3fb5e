// Which host events to apply. The host numbers its events; the panel applies each once, in
// order, and asks for a replay (webview/ready with its cursor) when it sees a number skipped.
// Replays may skip numbers on purpose (the host keeps only the latest status, config, ...).

export type Offer = 'apply' | 'skip' | 'resync';

export interface SyncParams {
  epoch: string;
  mode: 'reset' | 'resume';
  upTo: number;
}

export class EventCursor {
  /** The last event applied (-1: none). */
  cursor: number;
  /** The host event log the cursor belongs to (null: none yet). */
  epoch: string | null;
  private upTo = -1;
  private synced = false;
  private resyncAsked = -Infinity;

  constructor(epoch: string | null, cursor: number) {
    this.epoch = epoch;
    this.cursor = cursor;
  }

  /** A replay begins. False when it cannot be applied (a resume of another log). */
  sync(p: SyncParams): boolean {
    if (p.mode === 'resume' && p.epoch !== this.epoch) return false;
    if (p.mode === 'reset') this.cursor = -1;
    this.epoch = p.epoch;
    this.upTo = p.upTo;
    this.synced = true;
    this.resyncAsked = -Infinity;
    return true;
  }

  offer(seq: number, now = Date.now()): Offer {
    if (!this.synced || seq <= this.cursor) return 'skip';
    if (seq <= this.upTo || seq === Math.max(this.cursor, this.upTo) + 1) {
      this.cursor = seq;
      return 'apply';
    }
    // A live event after a gap: drop it and ask once (again after 5 s without an answer).
    if (now - this.resyncAsked < 5000) return 'skip';
    this.resyncAsked = now;
    return 'resync';
  }
}
