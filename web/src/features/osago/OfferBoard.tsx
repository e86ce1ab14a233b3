/**
 * One row per insurer: waiting, an offer with its premium, or why there is none (declined, timed
 * out, failed) — failures are shown, not hidden. Offers are listed in the order insurers were asked.
 */
import type { ApiError } from "../../api/errors";
import { formatDateTime } from "../../format";
import { type MessageKey, useI18n } from "../../i18n";
import { ErrorPanel } from "../../ui/ErrorPanel";
import { type Offer, isSettled } from "./useOfferStream";

const STATUS_KEYS: Record<string, MessageKey> = {
  PENDING: "osago.pending",
  OFFERED: "osago.offered",
  DECLINED: "osago.declined",
  TIMED_OUT: "osago.timedOut",
  FAILED: "osago.failed",
  ACCEPTED: "osago.accepted",
};

export interface OfferBoardProps {
  offers: readonly Offer[];
  error?: ApiError | undefined;
  onRetry?: () => void;
  onChoose?: (offer: Offer) => void;
  choosing?: string | undefined;
}

export function OfferBoard({ offers, error, onRetry, onChoose, choosing }: OfferBoardProps) {
  const { t, locale, language } = useI18n();
  const done = offers.filter(isSettled).length;
  const total = offers.length;
  const allSettled = total > 0 && done === total;
  const anyOffer = offers.some((o) => o.status === "OFFERED" || o.status === "ACCEPTED");
  return (
    <section aria-labelledby="offers-title" className="offer-board">
      <h2 id="offers-title">{t("osago.offersTitle")}</h2>
      <div className="progress-line">
        <progress max={total || 1} value={done} aria-label={t("osago.progress", { done, total })} />
        <span role="status" aria-live="polite" data-testid="offer-progress">
          {t("osago.progress", { done, total })}
          {allSettled ? ` ${t("osago.allSettled")}` : ""}
        </span>
      </div>
      {error && <ErrorPanel error={error} {...(onRetry ? { onRetry } : {})} />}
      <ul className="offers" aria-busy={!allSettled}>
        {offers.map((offer) => (
          <li key={offer.id} className={`offer offer-${offer.status.toLowerCase()}`} data-status={offer.status} data-testid="offer">
            <div className="offer-insurer">
              <strong>{offer.insurer.name}</strong>
              <span className="muted"> ★ {offer.insurer.rating.toFixed(1)}</span>
            </div>
            <div className="offer-status">
              {offer.status === "PENDING" && <span className="spinner" aria-hidden="true" />}
              <span>{t(STATUS_KEYS[offer.status] ?? "osago.pending")}</span>
              {/* The insurer's own reason comes in English; the status above already says it in words. */}
              {offer.failureReason && offer.status !== "OFFERED" && language === "en" && (
                <span className="muted"> — {offer.failureReason}</span>
              )}
            </div>
            <div className="offer-price">
              {offer.premium && <strong className="premium">{offer.premium.formatted}</strong>}
              {offer.validUntil && offer.status === "OFFERED" && (
                <small className="muted"> {t("osago.validUntil", { date: formatDateTime(offer.validUntil, locale) })}</small>
              )}
            </div>
            <div className="offer-action">
              {offer.status === "OFFERED" && onChoose && (
                <button
                  type="button"
                  onClick={() => onChoose(offer)}
                  disabled={choosing !== undefined}
                  aria-label={`${t("osago.choose")}: ${offer.insurer.name}, ${offer.premium?.formatted ?? ""}`}
                >
                  {choosing === offer.id ? t("osago.choosing") : t("osago.choose")}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {allSettled && !anyOffer && <p role="status">{t("osago.noOffers")}</p>}
    </section>
  );
}
