/**
 * What went wrong with a GraphQL call, in a form the UI can explain.
 *
 * Every failure becomes an `ApiError` with a stable `code`: the gateway's and subgraphs'
 * `extensions.code` (see gateway/errors.py and grpc_clients/errors.py), or one of the client-side
 * codes below for failures that never reached a GraphQL response. The UI maps codes to plain
 * words (i18n `errors.*`) and decides whether "retry" makes sense.
 */

export interface FieldError {
  field: string;
  message: string;
}

/** Client-side codes: the request did not produce a GraphQL response. */
export const NETWORK_ERROR = "NETWORK_ERROR";
export const HTTP_ERROR = "HTTP_ERROR";
export const BAD_RESPONSE = "BAD_RESPONSE";

/** Codes after which trying the same request again may succeed. */
const TRANSIENT = new Set([
  NETWORK_ERROR,
  HTTP_ERROR,
  BAD_RESPONSE,
  "SUBGRAPH_UNAVAILABLE",
  "SERVICE_UNAVAILABLE",
  "SERVICE_NOT_READY",
  "RATE_LIMITED",
  "DOWNSTREAM_SERVICE_ERROR",
  "INTERNAL_SERVER_ERROR",
]);

export class ApiError extends Error {
  readonly code: string;
  readonly fieldErrors: readonly FieldError[];
  readonly requestId: string | undefined;

  constructor(code: string, message: string, fieldErrors: readonly FieldError[] = [], requestId?: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.requestId = requestId;
  }

  /** Whether the same request may succeed later (the UI offers "retry"). */
  get retryable(): boolean {
    return TRANSIENT.has(this.code);
  }
}

interface RawError {
  message?: unknown;
  extensions?: { code?: unknown; fieldErrors?: unknown; requestId?: unknown };
}

function fieldErrorsOf(raw: unknown): FieldError[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const { field, message } = item as Record<string, unknown>;
    return typeof field === "string" && typeof message === "string" ? [{ field, message }] : [];
  });
}

/** The first error of a GraphQL response as an `ApiError`; field errors of all errors are merged. */
export function apiErrorFrom(errors: readonly RawError[], requestId?: string): ApiError {
  const first = errors[0] ?? {};
  const code = typeof first.extensions?.code === "string" ? first.extensions.code : "INTERNAL_SERVER_ERROR";
  const message = typeof first.message === "string" ? first.message : "Unknown error.";
  const fieldErrors = errors.flatMap((e) => fieldErrorsOf(e.extensions?.fieldErrors));
  const rid = typeof first.extensions?.requestId === "string" ? first.extensions.requestId : requestId;
  return new ApiError(code, message, fieldErrors, rid);
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof Error) return new ApiError(NETWORK_ERROR, error.message);
  return new ApiError(NETWORK_ERROR, String(error));
}
