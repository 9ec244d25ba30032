/** A minimal observable state container for `useSyncExternalStore`. */

export type Listener = () => void;

export class Observable<S> {
  private listeners = new Set<Listener>();

  constructor(private state: S) {}

  /** The current (immutable) state. */
  getState = (): S => this.state;

  /** Subscribe to changes; returns the unsubscribe function. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Replace the state with `update(state)` and notify if it changed. */
  protected update(update: (state: S) => S): void {
    const next = update(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }
}
