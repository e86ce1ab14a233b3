/**
 * The GraphQL client: typed documents in, typed data out, every failure an `ApiError`.
 *
 * Documents are persisted (trusted) documents: the request carries
 * `extensions.persistedQuery.sha256Hash` and, in production, nothing else — the gateway's
 * first-party entry runs only the operations of the web app's manifest. A gateway that does not
 * hold the manifest (development without a partner file) answers `PERSISTED_QUERY_NOT_FOUND`;
 * the client then sends hash and body, and keeps sending bodies for the rest of the session.
 *
 * See https://www.apollographql.com/docs/graphos/platform/security/persisted-queries
 */
import type { TypedDocumentString } from "../gql/graphql";
import { API_KEY, graphqlHttpUrl } from "./config";
import { connection } from "./connection";
import { ApiError, BAD_RESPONSE, HTTP_ERROR, NETWORK_ERROR, apiErrorFrom } from "./errors";

export type Variables = Record<string, unknown>;

/** What a document carries besides its text: the operation name and the persisted hash. */
export interface DocumentInfo {
  body: string;
  hash: string;
  operationName: string;
}

const OPERATION_NAME = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

export function documentInfo(document: TypedDocumentString<any, any>): DocumentInfo {
  const body = document.toString();
  const hash = (document.__meta__ as { hash?: unknown } | undefined)?.hash;
  if (typeof hash !== "string") throw new Error("The document has no persisted hash; run codegen.");
  // Codegen writes "sha256:<hex>"; APQ and the manifest use the bare hex digest.
  return { body, hash: hash.replace(/^sha256:/, ""), operationName: OPERATION_NAME.exec(body)?.[1] ?? "" };
}

interface Payload {
  data?: unknown;
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

let sendBodies = false;

/** Forget what the last gateway told us (tests). */
export function resetPersistedMode(): void {
  sendBodies = false;
}

async function post(info: DocumentInfo, variables: Variables | undefined, withBody: boolean, signal?: AbortSignal) {
  const body: Record<string, unknown> = {
    operationName: info.operationName,
    variables: variables ?? {},
    extensions: { persistedQuery: { version: 1, sha256Hash: info.hash } },
  };
  if (withBody) body.query = info.body;
  let response: Response;
  try {
    response = await fetch(graphqlHttpUrl(), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        "x-api-key": API_KEY,
      },
      body: JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    connection.unreachable();
    throw new ApiError(NETWORK_ERROR, "The gateway cannot be reached.");
  }
  const requestId = response.headers.get("x-request-id") ?? undefined;
  let payload: Payload;
  try {
    payload = (await response.json()) as Payload;
  } catch {
    // A proxy's error page, or the gateway going away mid-answer.
    if (response.status >= 502) connection.unreachable();
    else connection.reachable();
    throw new ApiError(response.ok ? BAD_RESPONSE : HTTP_ERROR, `HTTP ${response.status}`, [], requestId);
  }
  connection.reachable();
  return { payload, requestId };
}

/**
 * Run a query or mutation and return its data.
 *
 * @throws ApiError — any GraphQL error (the first one's code), or a transport failure.
 */
export async function execute<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables?: TVariables,
  signal?: AbortSignal,
): Promise<TResult> {
  const info = documentInfo(document);
  const vars = variables as Variables | undefined;
  let { payload, requestId } = await post(info, vars, sendBodies, signal);
  if (!sendBodies && payload.errors?.some((e) => e.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) {
    sendBodies = true;
    ({ payload, requestId } = await post(info, vars, true, signal));
  }
  if (payload.errors && payload.errors.length > 0) throw apiErrorFrom(payload.errors, requestId);
  if (payload.data === undefined || payload.data === null) {
    throw new ApiError(BAD_RESPONSE, "The response has no data.", [], requestId);
  }
  return payload.data as TResult;
}
