/**
 * Buy OSAGO: details → live offers → choose → policy.
 *
 * Submitting registers the policyholder's card, creates the OSAGO application (idempotent: one key
 * per distinct form content, so a retry after a lost answer never creates a second one) and asks
 * every insurer for a quote; the offers then arrive one by one on this page. Choosing an offer
 * issues the policy. The purchase report is pushed later by the notifications source (issue 11).
 */
import { type FormEvent, useRef, useState } from "react";

import { type ApiError, asApiError } from "../../api/errors";
import { useMutation, useQuery } from "../../api/useQuery";
import { formatDate, newIdempotencyKey } from "../../format";
import { useI18n } from "../../i18n";
import { ErrorPanel } from "../../ui/ErrorPanel";
import { Field } from "../../ui/Field";
import { Skeleton } from "../../ui/states";
import { notify } from "../notifications/store";
import { OfferBoard } from "./OfferBoard";
import { CreateApplicationMutation } from "../shared/operations";
import {
  IssuePolicyMutation,
  OsagoProductsQuery,
  RegisterClientMutation,
  RequestOsagoQuotesMutation,
} from "./operations";
import { type Offer, useOfferStream } from "./useOfferStream";
import { EMPTY_FORM, type FormErrors, type OsagoForm, formFieldOf, normalizePhone, normalizeVin, validateOsagoForm } from "./validation";

/** OSAGO limits are set by law: 400 000 ₽ for property damage. */
const OSAGO_SUM_INSURED_KOPECKS = 400_000_00;
const OSAGO_TERM_MONTHS = 12;

interface Quote {
  sessionId: string;
  clientId: string;
  applicationNumber: string;
  offers: readonly Offer[];
}

interface IssuedPolicy {
  number: string;
  insurer: string;
  premium: string;
  validFrom: string | null | undefined;
  validTo: string | null | undefined;
}

function ownerOf(form: OsagoForm): string {
  return JSON.stringify([form.lastName, form.firstName, form.middleName, form.birthDate, form.phone, form.email]);
}

export function OsagoPage() {
  const { t } = useI18n();
  const products = useQuery(OsagoProductsQuery, {});
  const [form, setForm] = useState<OsagoForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [quote, setQuote] = useState<Quote>();
  const registered = useRef<{ owner: string; clientId: string } | undefined>(undefined);
  const attempt = useRef<{ content: string; key: string } | undefined>(undefined);
  const register = useMutation(RegisterClientMutation);
  const createApplication = useMutation(CreateApplicationMutation);
  const requestQuotes = useMutation(RequestOsagoQuotesMutation);

  const update = (field: keyof OsagoForm) => (event: { target: { value: string } }) => {
    setForm((previous) => ({ ...previous, [field]: event.target.value }));
    setErrors((previous) => ({ ...previous, [field]: undefined }));
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    const found = validateOsagoForm(form, t);
    setErrors(found);
    setFailure(undefined);
    if (Object.keys(found).length > 0) {
      const first = Object.keys(found)[0];
      document.getElementById(`osago-${first}`)?.focus();
      return;
    }
    const product = products.data?.products[0];
    if (!product) return;
    setBusy(true);
    performance.mark("osago:submit");
    try {
      const owner = ownerOf(form);
      if (registered.current?.owner !== owner) {
        const data = await register.run({
          input: {
            lastName: form.lastName.trim(),
            firstName: form.firstName.trim(),
            middleName: form.middleName.trim(),
            birthDate: form.birthDate,
            phone: normalizePhone(form.phone),
            email: form.email.trim(),
          },
        });
        registered.current = { owner, clientId: data.registerClient.id };
      }
      const clientId = registered.current.clientId;
      const content = JSON.stringify(form);
      if (attempt.current?.content !== content) attempt.current = { content, key: newIdempotencyKey() };
      const vehicle = {
        vin: normalizeVin(form.vin),
        year: Number(form.year),
        enginePowerHp: Number(form.enginePowerHp),
        plate: form.plate.trim(),
        make: form.make.trim(),
        model: form.model.trim(),
      };
      const created = await createApplication.run({
        idempotencyKey: attempt.current.key,
        input: {
          clientId,
          productId: product.id,
          insuredObject: { kind: "VEHICLE", description: `${vehicle.make} ${vehicle.model}`.trim() },
          sumInsuredKopecks: OSAGO_SUM_INSURED_KOPECKS,
          termMonths: OSAGO_TERM_MONTHS,
          vehicle,
          submit: true,
        },
      });
      const application = created.createApplication.application;
      const session = await requestQuotes.run({
        input: {
          applicationId: application.id,
          clientId,
          enginePowerHp: vehicle.enginePowerHp,
          region: form.region.trim(),
          driverAge: Number(form.driverAge),
          driverExperienceYears: Number(form.driverExperienceYears),
        },
      });
      setQuote({
        sessionId: session.requestOsagoQuotes.id,
        clientId,
        applicationNumber: application.number,
        offers: session.requestOsagoQuotes.offers,
      });
    } catch (error) {
      const apiError = asApiError(error);
      const fieldErrors: FormErrors = {};
      for (const item of apiError.fieldErrors) {
        const field = formFieldOf(item.field);
        if (field) fieldErrors[field] ??= item.message;
      }
      setErrors(fieldErrors);
      setFailure(apiError);
    } finally {
      setBusy(false);
    }
  };

  if (quote) {
    return <QuoteView quote={quote} onRestart={() => { setQuote(undefined); attempt.current = undefined; }} />;
  }

  const field = (name: keyof OsagoForm, label: string, extra: Record<string, unknown> = {}) => (
    <Field
      id={`osago-${name}`}
      name={name}
      label={label}
      value={form[name]}
      onChange={update(name)}
      error={errors[name]}
      {...extra}
    />
  );

  return (
    <div className="page">
      <h1 tabIndex={-1}>{t("osago.title")}</h1>
      <p>{t("osago.intro")}</p>
      {products.error && <ErrorPanel error={products.error} onRetry={products.refetch} />}
      <form onSubmit={submit} noValidate aria-describedby={failure ? "osago-failure" : undefined}>
        <fieldset>
          <legend>{t("osago.stepOwner")}</legend>
          <div className="grid">
            {field("lastName", t("osago.lastName"), { autoComplete: "family-name", required: true })}
            {field("firstName", t("osago.firstName"), { autoComplete: "given-name", required: true })}
            {field("middleName", t("osago.middleName"), { autoComplete: "additional-name" })}
            {field("birthDate", t("osago.birthDate"), { type: "date", autoComplete: "bday", required: true })}
            {field("phone", t("osago.phone"), { type: "tel", autoComplete: "tel", placeholder: "+79161234567", required: true })}
            {field("email", t("osago.email"), { type: "email", autoComplete: "email" })}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("osago.stepVehicle")}</legend>
          <div className="grid">
            {field("vin", t("osago.vin"), { maxLength: 17, autoCapitalize: "characters", spellCheck: false, required: true })}
            {field("plate", t("osago.plate"))}
            {field("make", t("osago.make"))}
            {field("model", t("osago.model"))}
            {field("year", t("osago.year"), { inputMode: "numeric", required: true })}
            {field("enginePowerHp", t("osago.power"), { inputMode: "numeric", required: true })}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("osago.stepDriver")}</legend>
          <div className="grid">
            {field("region", t("osago.region"), { inputMode: "numeric", maxLength: 2, placeholder: "77", required: true })}
            {field("driverAge", t("osago.driverAge"), { inputMode: "numeric", required: true })}
            {field("driverExperienceYears", t("osago.experience"), { inputMode: "numeric", required: true })}
          </div>
        </fieldset>
        {failure && (
          <div id="osago-failure">
            <ErrorPanel error={failure} onRetry={() => void submit()} />
          </div>
        )}
        {products.loading && !products.data ? (
          <Skeleton lines={1} />
        ) : (
          <button type="submit" className="primary" disabled={busy || !products.data}>
            {busy ? t("osago.submitting") : t("osago.submit")}
          </button>
        )}
      </form>
    </div>
  );
}

function QuoteView({ quote, onRestart }: { quote: Quote; onRestart: () => void }) {
  const { t, locale } = useI18n();
  const stream = useOfferStream(quote.sessionId, quote.offers);
  const issue = useMutation(IssuePolicyMutation);
  const [choosing, setChoosing] = useState<string>();
  const [failure, setFailure] = useState<ApiError>();
  const [policy, setPolicy] = useState<IssuedPolicy>();

  const choose = async (offer: Offer) => {
    if (issue.inFlight.current) return;
    setChoosing(offer.id);
    setFailure(undefined);
    try {
      const data = await issue.run({ offerId: offer.id, clientId: quote.clientId });
      const issued = data.issuePolicy;
      setPolicy({
        number: issued.number,
        insurer: issued.insurer.name,
        premium: issued.premium.formatted,
        validFrom: issued.validFrom,
        validTo: issued.validTo,
      });
      notify({ kind: "success", text: t("notifications.policyIssued", { number: issued.number }) });
    } catch (error) {
      setFailure(asApiError(error));
    } finally {
      setChoosing(undefined);
    }
  };

  if (policy) {
    return (
      <div className="page">
        <h1 tabIndex={-1}>{t("osago.policyTitle")}</h1>
        <dl className="facts" data-testid="policy">
          <dt>{t("osago.policyNumber")}</dt>
          <dd>{policy.number}</dd>
          <dt>{t("osago.policyInsurer")}</dt>
          <dd>{policy.insurer}</dd>
          <dt>{t("osago.policyPremium")}</dt>
          <dd>{policy.premium}</dd>
          <dt>{t("osago.policyValid")}</dt>
          <dd>
            {formatDate(policy.validFrom, locale)} — {formatDate(policy.validTo, locale)}
          </dd>
        </dl>
        <p className="muted">{t("osago.reportPending")}</p>
        <button type="button" onClick={onRestart}>
          {t("osago.another")}
        </button>
      </div>
    );
  }

  return (
    <div className="page">
      <h1 tabIndex={-1}>{t("detail.title", { number: quote.applicationNumber })}</h1>
      {failure && <ErrorPanel error={failure} />}
      <OfferBoard offers={stream.offers} error={stream.error} onRetry={stream.resync} onChoose={(o) => void choose(o)} choosing={choosing} />
    </div>
  );
}
