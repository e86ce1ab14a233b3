import { describe, expect, it, vi } from "vitest";

import { type NotificationSource, NotificationStore } from "./store";

describe("NotificationStore", () => {
  it("keeps the newest first, at most 20, and dismisses one", () => {
    const store = new NotificationStore();
    const listener = vi.fn();
    store.subscribe(listener);
    for (let i = 0; i < 25; i += 1) store.push({ kind: "info", text: `n${i}` });
    const items = store.getSnapshot();
    expect(items).toHaveLength(20);
    expect(items[0]?.text).toBe("n24");
    store.dismiss(items[0]?.id ?? "");
    expect(store.getSnapshot()[0]?.text).toBe("n23");
    expect(listener).toHaveBeenCalledTimes(26);
  });

  it("starts server sources (the future reportReady subscription) and stops them", () => {
    const store = new NotificationStore();
    const stop = vi.fn();
    const reportReady: NotificationSource = (push) => {
      push({ kind: "report", text: "Отчёт о покупке готов", href: "/reports/1" });
      return stop;
    };
    const stopAll = store.start([reportReady]);
    expect(store.getSnapshot()[0]).toMatchObject({ kind: "report", href: "/reports/1" });
    stopAll();
    expect(stop).toHaveBeenCalledOnce();
  });
});
