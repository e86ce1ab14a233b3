/**
 * Is the gateway reachable? One small store that the banner and the live parts read.
 *
 * Evidence comes from three places: the browser's online/offline events, the outcome of every
 * HTTP call (a network failure marks the gateway unreachable, any answer marks it reachable),
 * and the WebSocket client's lifecycle. While unreachable, a probe asks `/health` with backoff
 * (1 s doubling to 10 s), so recovery is noticed even when the user does nothing; on recovery
 * the store bumps `recoveries`, which failed queries watch to refetch by themselves.
 */

export type ConnectionStatus = "online" | "offline" | "reconnecting";

export interface ConnectionState {
  status: ConnectionStatus;
  /** Increments each time the connection comes back; queries in error refetch on change. */
  recoveries: number;
}

type Listener = () => void;

const PROBE_MIN_MS = 1000;
const PROBE_MAX_MS = 10_000;

export class ConnectionMonitor {
  private state: ConnectionState = { status: "online", recoveries: 0 };
  private readonly listeners = new Set<Listener>();
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private probeDelay = PROBE_MIN_MS;

  constructor(
    private readonly probe: () => Promise<boolean>,
    private readonly browserOnline: () => boolean = () => true,
  ) {}

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): ConnectionState => this.state;

  /** A request reached the gateway (whatever it answered). */
  reachable(): void {
    if (this.state.status === "online") return;
    this.stopProbe();
    this.set({ status: "online", recoveries: this.state.recoveries + 1 });
  }

  /** A request could not reach the gateway, or the socket closed unexpectedly. */
  unreachable(): void {
    const status: ConnectionStatus = this.browserOnline() ? "reconnecting" : "offline";
    if (this.state.status !== status) this.set({ ...this.state, status });
    this.startProbe();
  }

  browserWentOffline(): void {
    this.set({ ...this.state, status: "offline" });
    this.startProbe();
  }

  browserWentOnline(): void {
    if (this.state.status === "offline") this.set({ ...this.state, status: "reconnecting" });
    this.probeDelay = PROBE_MIN_MS;
    this.stopProbe();
    void this.runProbe();
  }

  dispose(): void {
    this.stopProbe();
    this.listeners.clear();
  }

  private set(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }

  private startProbe(): void {
    if (this.probeTimer !== undefined) return;
    this.probeTimer = setTimeout(() => void this.runProbe(), this.probeDelay);
  }

  private stopProbe(): void {
    if (this.probeTimer !== undefined) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.probeDelay = PROBE_MIN_MS;
  }

  private async runProbe(): Promise<void> {
    this.probeTimer = undefined;
    if (this.state.status === "online") return;
    let ok = false;
    try {
      ok = await this.probe();
    } catch {
      ok = false;
    }
    if (ok) {
      this.reachable();
      return;
    }
    this.probeDelay = Math.min(this.probeDelay * 2, PROBE_MAX_MS);
    this.startProbe();
  }
}

async function probeHealth(): Promise<boolean> {
  const response = await fetch("/health", { cache: "no-store" });
  return response.ok;
}

export const connection = new ConnectionMonitor(probeHealth, () => navigator.onLine);

if (typeof window !== "undefined") {
  window.addEventListener("offline", () => connection.browserWentOffline());
  window.addEventListener("online", () => connection.browserWentOnline());
}
