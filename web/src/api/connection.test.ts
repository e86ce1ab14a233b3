import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ConnectionMonitor } from "./connection";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("ConnectionMonitor", () => {
  it("probes with backoff while unreachable and counts a recovery when the gateway answers", async () => {
    const answers = [false, false, true];
    const probe = vi.fn(async () => answers.shift() ?? true);
    const monitor = new ConnectionMonitor(probe);
    const seen: string[] = [];
    monitor.subscribe(() => seen.push(monitor.getSnapshot().status));

    monitor.unreachable();
    expect(monitor.getSnapshot()).toEqual({ status: "reconnecting", recoveries: 0 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(probe).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1999);
    expect(probe).toHaveBeenCalledTimes(1); // the second probe waits 2 s
    await vi.advanceTimersByTimeAsync(1);
    expect(probe).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(4000);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(monitor.getSnapshot()).toEqual({ status: "online", recoveries: 1 });
    expect(seen).toEqual(["reconnecting", "online"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe).toHaveBeenCalledTimes(3); // no probing while online
  });

  it("distinguishes the browser being offline and probes at once when it comes back", async () => {
    const probe = vi.fn(async () => true);
    let online = false;
    const monitor = new ConnectionMonitor(probe, () => online);
    monitor.unreachable();
    expect(monitor.getSnapshot().status).toBe("offline");
    online = true;
    monitor.browserWentOnline();
    await vi.advanceTimersByTimeAsync(0);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(monitor.getSnapshot()).toEqual({ status: "online", recoveries: 1 });
  });

  it("a request that reaches the gateway ends the outage without waiting for the probe", () => {
    const monitor = new ConnectionMonitor(async () => false);
    monitor.unreachable();
    monitor.reachable();
    expect(monitor.getSnapshot()).toEqual({ status: "online", recoveries: 1 });
    monitor.reachable();
    expect(monitor.getSnapshot().recoveries).toBe(1);
  });
});
