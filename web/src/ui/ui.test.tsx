import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ConnectionMonitor } from "../api/connection";
import { ApiError } from "../api/errors";
import { I18nProvider, type Language } from "../i18n";
import { ConnectionBanner } from "./ConnectionBanner";
import { ErrorPanel } from "./ErrorPanel";

function inLanguage(language: Language, ui: React.ReactNode) {
  return render(<I18nProvider language={language}>{ui}</I18nProvider>);
}

describe("ErrorPanel", () => {
  it.each([
    ["SUBGRAPH_UNAVAILABLE", "ru", "Часть системы сейчас недоступна. Повторите через минуту.", true],
    ["NOT_FOUND", "en", "There is no such record", true],
    ["RATE_LIMITED", "en", "Too many requests", true],
    ["PERSISTED_QUERY_NOT_ALLOWED", "ru", "Эта версия приложения устарела", true],
    ["SOMETHING_NEW", "en", "The request did not succeed. Retry.", true],
    ["BAD_USER_INPUT", "ru", "Некоторые поля заполнены неверно", false],
  ] as const)("%s in %s: plain words, retry where it can help", async (code, language, words, retry) => {
    const onRetry = vi.fn();
    inLanguage(language, <ErrorPanel error={new ApiError(code, "raw server text", [], "rid-7")} onRetry={onRetry} />);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent(words);
    expect(alert).not.toHaveTextContent("raw server text");
    expect(alert).toHaveTextContent("rid-7");
    const button = screen.queryByRole("button");
    expect(button !== null).toBe(retry);
    if (button) {
      await userEvent.click(button);
      expect(onRetry).toHaveBeenCalledOnce();
    }
  });

  it("lists the server's field errors", () => {
    const error = new ApiError("BAD_USER_INPUT", "x", [{ field: "input.vin", message: "VIN is not 17 characters." }]);
    inLanguage("en", <ErrorPanel error={error} />);
    expect(screen.getByRole("listitem")).toHaveTextContent("VIN is not 17 characters.");
  });
});

describe("ConnectionBanner", () => {
  it("announces an outage and the recovery in a polite live region", () => {
    vi.useFakeTimers();
    const monitor = new ConnectionMonitor(async () => false);
    inLanguage("ru", <ConnectionBanner monitor={monitor} />);
    const banner = screen.getByRole("status");
    expect(banner).toHaveAttribute("aria-live", "polite");
    expect(banner).toHaveTextContent("");
    act(() => monitor.unreachable());
    expect(banner).toHaveTextContent("Нет связи с сервером. Переподключаемся…");
    act(() => monitor.reachable());
    expect(banner).toHaveTextContent("Связь восстановлена.");
    act(() => {
      vi.advanceTimersByTime(5000);
    });
    expect(banner).toHaveTextContent("");
    monitor.dispose();
    vi.useRealTimers();
  });
});
