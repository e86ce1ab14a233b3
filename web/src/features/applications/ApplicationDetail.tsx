/** One application: facts, status history, and cancelling with a reason (from cancellable states). */
import { type FormEvent, useEffect, useRef, useState } from "react";

import { type ApiError, asApiError } from "../../api/errors";
import { useMutation, useQuery } from "../../api/useQuery";
import { formatDateTime } from "../../format";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { ErrorPanel } from "../../ui/ErrorPanel";
import { Skeleton } from "../../ui/states";
import { notify } from "../notifications/store";
import { ApplicationDetailQuery, CancelApplicationMutation } from "./operations";
import { CANCELLABLE, StatusBadge } from "./StatusBadge";

const MAX_REASON = 500;

export function ApplicationDetail({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const result = useQuery(ApplicationDetailQuery, { id });
  const [cancelling, setCancelling] = useState(false);

  if (result.error) {
    return (
      <div className="page">
        <h1 tabIndex={-1}>{t("detail.title", { number: "" })}</h1>
        <ErrorPanel error={result.error} onRetry={result.refetch} />
        <Link to="/back-office/applications">{t("detail.backToList")}</Link>
      </div>
    );
  }
  const application = result.data?.application;
  if (!application) return <Skeleton lines={8} />;
  const canCancel = CANCELLABLE.has(application.status);

  return (
    <div className="page">
      <p>
        <Link to="/back-office/applications">← {t("detail.backToList")}</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{t("detail.title", { number: application.number })}</h1>
        <StatusBadge status={application.status} />
      </div>
      <dl className="facts">
        <dt>{t("applications.client")}</dt>
        <dd>
          {application.client ? (
            <Link to={`/back-office/clients/${application.client.id}`}>{application.client.fullName}</Link>
          ) : (
            t("applications.unresolved")
          )}
        </dd>
        <dt>{t("applications.product")}</dt>
        <dd>{application.product?.name ?? t("applications.unresolved")}</dd>
        <dt>{t("applications.sum")}</dt>
        <dd>{application.sumInsured.formatted}</dd>
        <dt>{t("detail.term")}</dt>
        <dd>{application.termMonths}</dd>
        <dt>{t("detail.object")}</dt>
        <dd>
          {application.insuredObject ? t(`kinds.${application.insuredObject.kind}`) : t("common.none")}
          {application.insuredObject?.description ? ` — ${application.insuredObject.description}` : ""}
        </dd>
        {application.vehicle && (
          <>
            <dt>{t("detail.vehicle")}</dt>
            <dd>
              {[application.vehicle.make, application.vehicle.model, application.vehicle.year, application.vehicle.vin]
                .filter(Boolean)
                .join(" · ")}
            </dd>
          </>
        )}
        <dt>{t("detail.comment")}</dt>
        <dd>{application.comment || t("common.none")}</dd>
        {application.cancellationReason && (
          <>
            <dt>{t("detail.cancellationReason")}</dt>
            <dd data-testid="cancellation-reason">{application.cancellationReason}</dd>
          </>
        )}
        {application.policy && (
          <>
            <dt>{t("detail.policy")}</dt>
            <dd>{application.policy.number}</dd>
          </>
        )}
      </dl>
      <h2>{t("detail.history")}</h2>
      <ol className="history" data-testid="status-history">
        {application.statusHistory.map((change, index) => (
          <li key={`${change.status}-${index}`}>
            <StatusBadge status={change.status} /> <time dateTime={change.at ?? undefined}>{formatDateTime(change.at, locale)}</time>
            {change.reason ? <span className="muted"> — {change.reason}</span> : null}
          </li>
        ))}
      </ol>
      {canCancel && !cancelling && (
        <button type="button" className="danger" onClick={() => setCancelling(true)}>
          {t("detail.cancel")}
        </button>
      )}
      {canCancel && cancelling && (
        <CancelForm
          id={application.id}
          number={application.number}
          onDone={() => {
            setCancelling(false);
            notify({ kind: "info", text: t("notifications.applicationCancelled", { number: application.number }) });
            result.refetch();
          }}
          onClose={() => setCancelling(false)}
        />
      )}
    </div>
  );
}

function CancelForm({ id, number, onDone, onClose }: { id: string; number: string; onDone: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const cancel = useMutation(CancelApplicationMutation);
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const [failure, setFailure] = useState<ApiError>();
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (cancel.inFlight.current) return;
    const text = reason.trim();
    if (!text || text.length > MAX_REASON) {
      setInvalid(true);
      field.current?.focus();
      return;
    }
    setFailure(undefined);
    try {
      await cancel.run({ id, reason: text });
      onDone();
    } catch (error) {
      setFailure(asApiError(error));
    }
  };

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="cancel-title" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <h2 id="cancel-title">{t("detail.cancelTitle", { number })}</h2>
      <div className={invalid ? "field field-invalid" : "field"}>
        <label htmlFor="cancel-reason">{t("detail.reason")}</label>
        <textarea
          id="cancel-reason"
          ref={field}
          value={reason}
          maxLength={MAX_REASON}
          rows={3}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? "cancel-reason-error" : undefined}
          onChange={(e) => {
            setReason(e.target.value);
            setInvalid(false);
          }}
        />
        {invalid && (
          <small id="cancel-reason-error" className="field-error">
            {t("validation.reason")}
          </small>
        )}
      </div>
      {failure && <ErrorPanel error={failure} />}
      <div className="actions">
        <button type="submit" className="danger" disabled={cancel.busy}>
          {t("detail.confirmCancel")}
        </button>
        <button type="button" onClick={onClose}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
