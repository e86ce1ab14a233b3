/**
 * The notification centre's store: what the user should hear about, newest first.
 *
 * Notifications come from *sources*. Today the only source is the app itself (`notify()` after a
 * policy is issued, an application created or cancelled). Server-pushed notifications — the
 * purchase report of the reports service (issue 11) — plug in as one more `NotificationSource`
 * that subscribes to the gateway and calls `push`; see `sources.ts`.
 */

export type NotificationKind = "success" | "info" | "report";

export interface AppNotification {
  id: string;
  kind: NotificationKind;
  text: string;
  at: number;
  /** Where the notification leads (a policy, a report to download), if anywhere. */
  href?: string;
}

/** Something that pushes notifications while started (e.g. a subscription); returns its stop. */
export type NotificationSource = (push: (n: Omit<AppNotification, "id" | "at">) => void) => () => void;

type Listener = () => void;

const MAX_KEPT = 20;

export class NotificationStore {
  private items: readonly AppNotification[] = [];
  private readonly listeners = new Set<Listener>();
  private counter = 0;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly AppNotification[] => this.items;

  readonly push = (notification: Omit<AppNotification, "id" | "at">): void => {
    this.counter += 1;
    const item = { ...notification, id: `n${this.counter}`, at: Date.now() };
    this.items = [item, ...this.items].slice(0, MAX_KEPT);
    this.emit();
  };

  dismiss(id: string): void {
    this.items = this.items.filter((n) => n.id !== id);
    this.emit();
  }

  /** Start every source; returns the function that stops them all. */
  start(sources: readonly NotificationSource[]): () => void {
    const stops = sources.map((source) => source(this.push));
    return () => {
      for (const stop of stops) stop();
    };
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

export const notifications = new NotificationStore();
export const notify = notifications.push;
