/**
 * `useQuery(document, variables)`: loading, data, a coded error and `refetch`, for one query.
 *
 * A new variables value starts a new request and aborts the previous one. A query that failed
 * with a transient error refetches by itself when the connection monitor sees the gateway again.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";

import type { TypedDocumentString } from "../gql/graphql";
import { execute } from "./client";
import { connection } from "./connection";
import { type ApiError, asApiError } from "./errors";

export interface QueryState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  refetch: () => void;
}

export function useQuery<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  { skip = false }: { skip?: boolean } = {},
): QueryState<TResult> {
  const key = JSON.stringify(variables ?? {});
  const [state, setState] = useState<{ data?: TResult; error?: ApiError; loading: boolean }>({ loading: !skip });
  const [attempt, setAttempt] = useState(0);
  const variablesRef = useRef(variables);
  variablesRef.current = variables;

  useEffect(() => {
    if (skip) return undefined;
    const controller = new AbortController();
    setState((previous) => ({ data: previous.data, loading: true }));
    execute(document, variablesRef.current, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error: asApiError(error), loading: false });
      },
    );
    return () => controller.abort();
  }, [document, key, skip, attempt]);

  const refetch = useCallback(() => setAttempt((n) => n + 1), []);

  const { recoveries } = useSyncExternalStore(connection.subscribe, connection.getSnapshot);
  const seen = useRef(recoveries);
  useEffect(() => {
    if (recoveries !== seen.current) {
      seen.current = recoveries;
      if (state.error?.retryable) refetch();
    }
  }, [recoveries, state.error, refetch]);

  return { data: state.data, error: state.error, loading: state.loading, refetch };
}

/** Mutations: `run(variables)` resolves with data or rejects with an `ApiError`; `busy` while in flight. */
export function useMutation<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>) {
  const [busy, setBusy] = useState(false);
  const inFlight = useRef(false);
  const run = useCallback(
    async (variables: TVariables): Promise<TResult> => {
      inFlight.current = true;
      setBusy(true);
      try {
        return await execute(document, variables);
      } catch (error) {
        throw asApiError(error);
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [document],
  );
  return { run, busy, inFlight };
}
