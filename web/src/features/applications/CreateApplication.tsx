/**
 * Create an application. Idempotent: the idempotency key belongs to the form's content, so a double
 * click, a retry after a lost answer or a resubmission of the same data returns the application
 * created the first time (`created: false`) instead of a second one.
 */
import { type FormEvent, useRef, useState } from "react";

import { type ApiError, asApiError } from "../../api/errors";
import { useMutation, useQuery } from "../../api/useQuery";
import type { InsuredObjectKind } from "../../gql/graphql";
import { formatDate, newIdempotencyKey } from "../../format";
import { useI18n } from "../../i18n";
import { Link, navigate } from "../../router";
import { ErrorPanel } from "../../ui/ErrorPanel";
import { Field } from "../../ui/Field";
import { notify } from "../notifications/store";
import { CreateApplicationMutation } from "../shared/operations";
import { ProductsQuery, SearchClientsQuery } from "./operations";

const KINDS: readonly InsuredObjectKind[] = ["PERSON", "VEHICLE", "PROPERTY", "TRIP"];

interface Draft {
  clientId: string;
  productId: string;
  kind: InsuredObjectKind;
  description: string;
  sumRub: string;
  termMonths: string;
  comment: string;
  submit: boolean;
  vin: string;
  year: string;
  power: string;
}

const EMPTY: Draft = {
  clientId: "",
  productId: "",
  kind: "PERSON",
  description: "",
  sumRub: "",
  termMonths: "12",
  comment: "",
  submit: true,
  vin: "",
  year: "",
  power: "",
};

export function CreateApplication() {
  const { t, locale } = useI18n();
  const products = useQuery(ProductsQuery, {});
  const [query, setQuery] = useState("");
  const [term, setTerm] = useState("");
  const clients = useQuery(SearchClientsQuery, { query: term }, { skip: term.length < 2 });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [failure, setFailure] = useState<ApiError>();
  const [result, setResult] = useState<string>();
  const create = useMutation(CreateApplicationMutation);
  const attempt = useRef<{ content: string; key: string } | undefined>(undefined);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (create.inFlight.current) return;
    const found: Partial<Record<keyof Draft, string>> = {};
    if (!draft.clientId) found.clientId = t("validation.required");
    if (!draft.productId) found.productId = t("validation.required");
    const sum = Number(draft.sumRub.replace(",", "."));
    if (!(sum > 0)) found.sumRub = t("validation.sum");
    const months = Number(draft.termMonths);
    if (!Number.isInteger(months) || months < 1 || months > 600) found.termMonths = t("validation.term");
    if (draft.kind === "VEHICLE" && !/^[A-HJ-NPR-Z0-9]{17}$/.test(draft.vin.trim().toUpperCase())) found.vin = t("validation.vin");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const content = JSON.stringify(draft);
    if (attempt.current?.content !== content) attempt.current = { content, key: newIdempotencyKey() };
    setFailure(undefined);
    try {
      const data = await create.run({
        idempotencyKey: attempt.current.key,
        input: {
          clientId: draft.clientId,
          productId: draft.productId,
          insuredObject: { kind: draft.kind, description: draft.description.trim() },
          sumInsuredKopecks: Math.round(sum * 100),
          termMonths: months,
          comment: draft.comment.trim(),
          submit: draft.submit,
          vehicle:
            draft.kind === "VEHICLE"
              ? { vin: draft.vin.trim().toUpperCase(), year: Number(draft.year), enginePowerHp: Number(draft.power) }
              : null,
        },
      });
      const { application, created } = data.createApplication;
      const message = created
        ? t("create.created", { number: application.number })
        : t("create.existed", { number: application.number });
      setResult(message);
      if (created) notify({ kind: "success", text: t("notifications.applicationCreated", { number: application.number }) });
      navigate(`/back-office/applications/${application.id}`);
    } catch (error) {
      setFailure(asApiError(error));
    }
  };

  return (
    <div className="page">
      <p>
        <Link to="/back-office/applications">← {t("detail.backToList")}</Link>
      </p>
      <h1 tabIndex={-1}>{t("create.title")}</h1>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t("create.client")}</legend>
          <div className="toolbar">
            <label htmlFor="client-search">{t("create.clientSearch")}</label>
            <input id="client-search" type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
            <button type="button" onClick={() => setTerm(query.trim())}>
              {t("applications.searchButton")}
            </button>
          </div>
          {clients.error && <ErrorPanel error={clients.error} onRetry={clients.refetch} />}
          <div className={errors.clientId ? "field field-invalid" : "field"}>
            <label htmlFor="create-client">{t("create.clientPick")}</label>
            <select id="create-client" value={draft.clientId} onChange={(e) => set("clientId", e.target.value)} aria-invalid={errors.clientId ? true : undefined}>
              <option value="">—</option>
              {(clients.data?.searchClients ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.fullName}, {formatDate(c.birthDate, locale)} {c.phone ?? ""}
                </option>
              ))}
            </select>
            {errors.clientId && <small className="field-error">{errors.clientId}</small>}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("create.product")}</legend>
          <div className="grid">
            <div className={errors.productId ? "field field-invalid" : "field"}>
              <label htmlFor="create-product">{t("create.product")}</label>
              <select id="create-product" value={draft.productId} onChange={(e) => set("productId", e.target.value)}>
                <option value="">—</option>
                {(products.data?.products ?? []).map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              {errors.productId && <small className="field-error">{errors.productId}</small>}
            </div>
            <div className="field">
              <label htmlFor="create-kind">{t("create.kind")}</label>
              <select id="create-kind" value={draft.kind} onChange={(e) => set("kind", e.target.value as InsuredObjectKind)}>
                {KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(`kinds.${kind}`)}
                  </option>
                ))}
              </select>
            </div>
            <Field id="create-description" label={t("create.description")} value={draft.description} onChange={(e) => set("description", e.target.value)} />
            <Field id="create-sum" label={t("create.sum")} inputMode="decimal" value={draft.sumRub} onChange={(e) => set("sumRub", e.target.value)} error={errors.sumRub} />
            <Field id="create-term" label={t("create.term")} inputMode="numeric" value={draft.termMonths} onChange={(e) => set("termMonths", e.target.value)} error={errors.termMonths} />
            {draft.kind === "VEHICLE" && (
              <>
                <Field id="create-vin" label={t("create.vin")} value={draft.vin} onChange={(e) => set("vin", e.target.value)} error={errors.vin} />
                <Field id="create-year" label={t("create.year")} inputMode="numeric" value={draft.year} onChange={(e) => set("year", e.target.value)} />
                <Field id="create-power" label={t("create.power")} inputMode="numeric" value={draft.power} onChange={(e) => set("power", e.target.value)} />
              </>
            )}
          </div>
          <div className="field">
            <label htmlFor="create-comment">{t("create.comment")}</label>
            <textarea id="create-comment" rows={2} maxLength={2000} value={draft.comment} onChange={(e) => set("comment", e.target.value)} />
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={draft.submit} onChange={(e) => set("submit", e.target.checked)} /> {t("create.submitNow")}
          </label>
        </fieldset>
        {failure && <ErrorPanel error={failure} />}
        {result && <p role="status">{result}</p>}
        <button type="submit" className="primary" disabled={create.busy}>
          {create.busy ? t("create.submitting") : t("create.submit")}
        </button>
      </form>
    </div>
  );
}
