/** An error in plain words, chosen by `extensions.code`, with "retry" when retrying can help. */
import type { ApiError } from "../api/errors";
import { type MessageKey, useI18n } from "../i18n";

export function errorMessageKey(code: string): MessageKey {
  const key = `errors.${code}`;
  return (KNOWN.has(code) ? key : "errors.fallback") as MessageKey;
}

const KNOWN = new Set([
  "NETWORK_ERROR",
  "HTTP_ERROR",
  "BAD_RESPONSE",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "FAILED_PRECONDITION",
  "ALREADY_EXISTS",
  "SERVICE_UNAVAILABLE",
  "SUBGRAPH_UNAVAILABLE",
  "DOWNSTREAM_SERVICE_ERROR",
  "SERVICE_NOT_READY",
  "RATE_LIMITED",
  "UNAUTHENTICATED",
  "PERSISTED_QUERY_NOT_ALLOWED",
  "INTERNAL_SERVER_ERROR",
]);

export function ErrorPanel({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="error-panel" role="alert" data-code={error.code}>
      <p>{t(errorMessageKey(error.code))}</p>
      {error.fieldErrors.length > 0 && (
        <ul>
          {error.fieldErrors.map((f) => (
            <li key={f.field + f.message}>{f.message}</li>
          ))}
        </ul>
      )}
      {error.requestId && (
        <p className="muted">
          {t("common.requestId")}: <code>{error.requestId}</code>
        </p>
      )}
      {onRetry && error.code !== "BAD_USER_INPUT" && (
        <button type="button" onClick={onRetry}>
          {t("common.retry")}
        </button>
      )}
    </div>
  );
}
