/**
 * Subscriptions over one shared graphql-transport-ws connection (graphql-ws), opened lazily.
 *
 * The socket introduces the app with its key in `connection_init` (browsers cannot set headers on
 * a WebSocket) and sends the persisted hash with the body, which the gateway checks against the
 * safelist. Lost connections are retried forever with backoff; the connection monitor hears of
 * every close and reopen so the banner can say what is happening.
 */
import { type Client, createClient } from "graphql-ws";

import type { TypedDocumentString } from "../gql/graphql";
import { documentInfo } from "./client";
import { API_KEY, graphqlWsUrl } from "./config";
import { connection } from "./connection";
import { ApiError, NETWORK_ERROR, apiErrorFrom } from "./errors";

let client: Client | undefined;

function sharedClient(): Client {
  client ??= createClient({
    url: graphqlWsUrl(),
    connectionParams: { "X-API-Key": API_KEY },
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const delay = Math.min(1000 * 2 ** retries, 10_000);
      await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + Math.random() / 2)));
    },
    on: {
      connected: () => connection.reachable(),
      closed: (event) => {
        // 1000 = we closed it (no subscriber left); anything else is a lost connection.
        if ((event as CloseEvent | undefined)?.code !== 1000) connection.unreachable();
      },
    },
  });
  return client;
}

export interface SubscriptionHandlers<T> {
  next: (data: T) => void;
  error: (error: ApiError) => void;
  complete: () => void;
}

/** Subscribe; returns the function that unsubscribes. */
export function subscribe<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  handlers: SubscriptionHandlers<TResult>,
): () => void {
  const info = documentInfo(document);
  return sharedClient().subscribe(
    {
      query: info.body,
      operationName: info.operationName,
      variables: variables as Record<string, unknown>,
      extensions: { persistedQuery: { version: 1, sha256Hash: info.hash } },
    },
    {
      next: (result) => {
        if (result.errors && result.errors.length > 0) {
          handlers.error(apiErrorFrom(result.errors as never));
        } else if (result.data) {
          handlers.next(result.data as TResult);
        }
      },
      error: (error) => {
        if (Array.isArray(error)) handlers.error(apiErrorFrom(error as never));
        else handlers.error(new ApiError(NETWORK_ERROR, "The live connection failed."));
      },
      complete: handlers.complete,
    },
  );
}
