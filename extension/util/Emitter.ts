// A minimal typed event emitter with VS Code's Event shape (listener → disposable), for the
// modules that must load without VS Code.
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> {
  private readonly listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch (err) {
        console.error('finetune: an event listener failed', err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
