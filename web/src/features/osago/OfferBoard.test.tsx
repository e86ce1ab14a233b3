import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { I18nProvider } from "../../i18n";
import { OfferBoard } from "./OfferBoard";
import { type Offer, mergeOffers } from "./useOfferStream";

function offer(id: string, status: Offer["status"], extra: Partial<Offer> = {}): Offer {
  return {
    id,
    status,
    premium: status === "OFFERED" ? { kopecks: 990_000, formatted: "9 900,00 ₽" } : null,
    settledAt: status === "PENDING" ? null : "2026-06-15T10:00:00+00:00",
    validUntil: status === "OFFERED" ? "2026-06-18T10:00:00+00:00" : null,
    failureReason: null,
    insurer: { id: `i-${id}`, name: `Insurer ${id}`, rating: 4.2 },
    ...extra,
  };
}

const OFFERS = [
  offer("1", "OFFERED"),
  offer("2", "PENDING"),
  offer("3", "TIMED_OUT", { failureReason: "no answer within 60 s" }),
  offer("4", "FAILED", { failureReason: "circuit open" }),
  offer("5", "DECLINED", { failureReason: "risk not accepted" }),
];

describe("OfferBoard", () => {
  it("shows every insurer: waiting, offered, and why the others made no offer", async () => {
    const choose = vi.fn();
    render(
      <I18nProvider language="en">
        <OfferBoard offers={OFFERS} onChoose={choose} />
      </I18nProvider>,
    );
    expect(screen.getByTestId("offer-progress")).toHaveTextContent("4 of 5 answered");
    const rows = screen.getAllByTestId("offer");
    expect(rows.map((r) => r.getAttribute("data-status"))).toEqual(["OFFERED", "PENDING", "TIMED_OUT", "FAILED", "DECLINED"]);
    expect(rows[1]).toHaveTextContent("Waiting for an answer…");
    expect(rows[2]).toHaveTextContent("Did not answer in time — no answer within 60 s");
    expect(rows[3]).toHaveTextContent("Could not reach the insurer — circuit open");
    expect(rows[4]).toHaveTextContent("Declined — risk not accepted");
    // Only an offer can be chosen.
    expect(within(rows[0] as HTMLElement).getByRole("button")).toHaveAccessibleName("Choose: Insurer 1, 9 900,00 ₽");
    expect(screen.getAllByRole("button")).toHaveLength(1);
    await userEvent.click(screen.getByRole("button", { name: /Choose/ }));
    expect(choose).toHaveBeenCalledWith(OFFERS[0]);
  });

  it("says so when every insurer has answered and none made an offer", () => {
    render(
      <I18nProvider language="ru">
        <OfferBoard offers={[offer("3", "TIMED_OUT"), offer("5", "DECLINED")]} />
      </I18nProvider>,
    );
    expect(screen.getByTestId("offer-progress")).toHaveTextContent("Ответили 2 из 2 Все компании ответили.");
    expect(screen.getByText(/Ни одна компания не сделала предложения/)).toBeInTheDocument();
  });
});

describe("mergeOffers", () => {
  it("adds new offers in arrival order and never turns a settled offer back into PENDING", () => {
    const settled = mergeOffers([offer("1", "PENDING"), offer("2", "PENDING")], [offer("2", "OFFERED")]);
    expect(settled.map((o) => o.status)).toEqual(["PENDING", "OFFERED"]);
    const stale = mergeOffers(settled, [offer("2", "PENDING"), offer("3", "FAILED")]);
    expect(stale.map((o) => [o.id, o.status])).toEqual([
      ["1", "PENDING"],
      ["2", "OFFERED"],
      ["3", "FAILED"],
    ]);
    expect(mergeOffers(stale, [offer("2", "ACCEPTED")])[1]?.status).toBe("ACCEPTED");
  });
});
