/**
 * The offers of one quote session, live: the session's first answer, then each offer as its insurer
 * settles (subscription `osagoOffers`), merged by offer id.
 *
 * If the subscription fails or the connection comes back after a loss, the session is re-read
 * (`quoteSession`) so offers that settled while the socket was down are not missed; a settled offer
 * never goes back to PENDING, whatever order the answers arrive in.
 */
import { useEffect, useReducer, useSyncExternalStore } from "react";

import { execute } from "../../api/client";
import { connection } from "../../api/connection";
import { type ApiError, asApiError } from "../../api/errors";
import { subscribe } from "../../api/subscriptions";
import type { OfferFieldsFragment } from "../../gql/graphql";
import { OsagoOffersSubscription, QuoteSessionQuery } from "./operations";

export type Offer = OfferFieldsFragment;

export interface OfferStreamState {
  offers: readonly Offer[];
  error: ApiError | undefined;
  /** The first settled offer arrived at (performance.now()), for the time-to-first-offer figure. */
  firstOfferAt: number | undefined;
}

type Action = { type: "offers"; offers: readonly Offer[] } | { type: "error"; error: ApiError | undefined };

export function isSettled(offer: Offer): boolean {
  return offer.status !== "PENDING";
}

/** Merge `incoming` into `current` by id, keeping the order of first appearance. */
export function mergeOffers(current: readonly Offer[], incoming: readonly Offer[]): Offer[] {
  const merged = [...current];
  for (const offer of incoming) {
    const index = merged.findIndex((o) => o.id === offer.id);
    if (index === -1) merged.push(offer);
    else if (!(isSettled(merged[index] as Offer) && !isSettled(offer))) merged[index] = offer;
  }
  return merged;
}

function reducer(state: OfferStreamState, action: Action): OfferStreamState {
  if (action.type === "error") return { ...state, error: action.error };
  const offers = mergeOffers(state.offers, action.offers);
  const firstOfferAt = state.firstOfferAt ?? (offers.some((o) => o.status === "OFFERED") ? performance.now() : undefined);
  if (firstOfferAt !== undefined && state.firstOfferAt === undefined) performance.mark("osago:first-offer");
  return { offers, error: undefined, firstOfferAt };
}

export function useOfferStream(sessionId: string, initial: readonly Offer[]): OfferStreamState & { resync: () => void } {
  const [state, dispatch] = useReducer(reducer, undefined, () =>
    reducer({ offers: [], error: undefined, firstOfferAt: undefined }, { type: "offers", offers: initial }),
  );
  const [resyncs, resync] = useReducer((n: number) => n + 1, 0);
  const { recoveries } = useSyncExternalStore(connection.subscribe, connection.getSnapshot);
  const allSettled = state.offers.length > 0 && state.offers.every(isSettled);

  useEffect(() => {
    if (allSettled) return undefined;
    return subscribe(
      OsagoOffersSubscription,
      { sessionId },
      {
        next: (data) => dispatch({ type: "offers", offers: [data.osagoOffers] }),
        error: (error) => {
          dispatch({ type: "error", error });
          resync();
        },
        complete: () => resync(),
      },
    );
    // Re-subscribing on every settled offer is not wanted: only the session matters.
  }, [sessionId, allSettled && "done"]);

  useEffect(() => {
    if (resyncs === 0 && recoveries === 0) return undefined;
    const controller = new AbortController();
    execute(QuoteSessionQuery, { id: sessionId }, controller.signal).then(
      (data) => {
        if (data.quoteSession) dispatch({ type: "offers", offers: data.quoteSession.offers });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) dispatch({ type: "error", error: asApiError(error) });
      },
    );
    return () => controller.abort();
  }, [sessionId, resyncs, recoveries]);

  return { ...state, resync };
}
