/**
 * The client card: a header, then collapsible sections that load when first opened (and stay
 * loaded). Each section is its own small query, so the card never asks for ~500 attributes at once.
 */
import { Fragment, type ReactNode, useState } from "react";

import { useQuery } from "../../api/useQuery";
import type { TypedDocumentString } from "../../gql/graphql";
import { formatDate } from "../../format";
import { type MessageKey, useI18n } from "../../i18n";
import { ErrorPanel } from "../../ui/ErrorPanel";
import { EmptyState, Skeleton } from "../../ui/states";
import { ApplicationTable } from "../applications/ApplicationsPage";
import {
  ClientApplicationsQuery,
  ClientContactsQuery,
  ClientDocumentsQuery,
  ClientEmploymentQuery,
  ClientHeaderQuery,
  ClientHealthQuery,
  ClientMarketingQuery,
  ClientPoliciesQuery,
  ClientRelativesQuery,
  ClientVehiclesQuery,
} from "./operations";

export function ClientCard({ id }: { id: string }) {
  const { t, locale } = useI18n();
  const header = useQuery(ClientHeaderQuery, { id });
  const yesNo = (value: boolean) => (value ? t("common.yes") : t("common.no"));
  const client = header.data?.client;
  return (
    <div className="page">
      {header.error ? (
        <>
          <h1 tabIndex={-1}>{t("client.title")}</h1>
          <ErrorPanel error={header.error} onRetry={header.refetch} />
        </>
      ) : !client ? (
        <Skeleton lines={2} />
      ) : (
        <>
          <h1 tabIndex={-1}>{client.fullName}</h1>
          <p className="muted">
            {t("client.birthDate")}: {formatDate(client.birthDate, locale)} · {t("client.age")}: {client.age ?? t("common.none")}
          </p>
        </>
      )}
      <p className="muted">{t("client.sections")}</p>
      <Section title="client.contacts" document={ClientContactsQuery} id={id}>
        {(data) =>
          data.client && (
            <Facts
              rows={[
                [t("client.phone"), data.client.phone],
                [t("client.email"), data.client.email],
                ...data.client.addresses.map(
                  (a) =>
                    [
                      `${t("client.address")} (${a.kind.toLowerCase()})`,
                      [a.postalCode, a.region, a.city, a.street, a.house, a.apartment].filter(Boolean).join(", "),
                    ] as const,
                ),
              ]}
            />
          )
        }
      </Section>
      <Section title="client.documents" document={ClientDocumentsQuery} id={id}>
        {(data) =>
          listOrEmpty(
            data.client?.documents ?? [],
            (d) => (
              <li key={d.id}>
                <strong>{d.type}</strong> {d.number} · {t("client.issued")} {formatDate(d.issueDate, locale)}
                {d.expiryDate ? ` · ${t("client.expires")} ${formatDate(d.expiryDate, locale)}` : ""}
                {d.issuer ? ` · ${d.issuer}` : ""}
              </li>
            ),
            t("client.emptySection"),
          )
        }
      </Section>
      <Section title="client.relatives" document={ClientRelativesQuery} id={id}>
        {(data) =>
          listOrEmpty(
            data.client?.relatives ?? [],
            (r) => (
              <li key={r.id}>
                {r.fullName} ({r.relation.toLowerCase()}){r.age !== null && r.age !== undefined ? `, ${r.age}` : ""}
              </li>
            ),
            t("client.emptySection"),
          )
        }
      </Section>
      <Section title="client.vehicles" document={ClientVehiclesQuery} id={id}>
        {(data) =>
          listOrEmpty(
            data.client?.vehicles ?? [],
            (v) => (
              <li key={v.id}>
                {[v.make, v.model, v.year, v.plate, v.vin, v.enginePowerHp ? `${v.enginePowerHp} hp` : null].filter(Boolean).join(" · ")}
              </li>
            ),
            t("client.emptySection"),
          )
        }
      </Section>
      <Section title="client.employment" document={ClientEmploymentQuery} id={id}>
        {(data) => {
          const e = data.client?.profile.employment;
          return (
            e && (
              <Facts
                rows={[
                  [t("client.employer"), e.employer],
                  [t("client.position"), e.position],
                  [t("client.income"), e.monthlyIncome?.formatted],
                  [t("client.experience"), e.experienceYears],
                ]}
              />
            )
          );
        }}
      </Section>
      <Section title="client.health" document={ClientHealthQuery} id={id}>
        {(data) => {
          const h = data.client?.profile.health;
          return (
            h && (
              <Facts
                rows={[
                  [t("client.height"), h.heightCm],
                  [t("client.weight"), h.weightKg],
                  [t("client.smoker"), yesNo(h.smoker)],
                  [t("client.chronic"), yesNo(h.chronicDiseases)],
                ]}
              />
            )
          );
        }}
      </Section>
      <Section title="client.marketing" document={ClientMarketingQuery} id={id}>
        {(data) => {
          const m = data.client?.profile.marketing;
          return (
            m && (
              <Facts
                rows={[
                  [t("client.consentSms"), yesNo(m.consentSms)],
                  [t("client.consentEmail"), yesNo(m.consentEmail)],
                  [t("client.segment"), m.segment],
                  [t("client.channel"), m.acquisitionChannel],
                ]}
              />
            )
          );
        }}
      </Section>
      <Section title="client.applications" document={ClientApplicationsQuery} id={id}>
        {(data) =>
          (data.client?.applications.length ?? 0) === 0 ? (
            <EmptyState>{t("client.emptySection")}</EmptyState>
          ) : (
            <ApplicationTable rows={data.client?.applications ?? []} />
          )
        }
      </Section>
      <Section title="client.policies" document={ClientPoliciesQuery} id={id}>
        {(data) =>
          listOrEmpty(
            data.client?.policies ?? [],
            (p) => (
              <li key={p.id}>
                <strong>{p.number}</strong> · {p.product.name} · {p.insurer.name} · {p.premium.formatted} · {formatDate(p.validFrom, locale)} —{" "}
                {formatDate(p.validTo, locale)} · {p.status}
              </li>
            ),
            t("client.emptySection"),
          )
        }
      </Section>
    </div>
  );
}

/** A definition list of label → value; a missing value shows as a dash. */
function Facts({ rows }: { rows: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="facts">
      {rows.map(([term, value], index) => (
        <Fragment key={`${term}-${index}`}>
          <dt>{term}</dt>
          <dd>{value ?? "—"}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function listOrEmpty<T>(items: readonly T[], render: (item: T) => ReactNode, empty: string) {
  return items.length === 0 ? <EmptyState>{empty}</EmptyState> : <ul className="plain-list">{items.map(render)}</ul>;
}

interface SectionProps<T> {
  title: MessageKey;
  id: string;
  document: TypedDocumentString<T, { id: string }>;
  children: (data: T) => ReactNode;
}

/** A `<details>` whose query runs the first time it is opened. */
function Section<T>({ title, id, document, children }: SectionProps<T>) {
  const { t } = useI18n();
  const [opened, setOpened] = useState(false);
  return (
    <details className="section" data-section={title} onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <summary>
        <h2>{t(title)}</h2>
      </summary>
      {opened && <SectionBody document={document} id={id} render={children} />}
    </details>
  );
}

function SectionBody<T>({ document, id, render }: { document: TypedDocumentString<T, { id: string }>; id: string; render: (data: T) => ReactNode }) {
  const { t } = useI18n();
  const result = useQuery(document, { id });
  if (result.error) return <ErrorPanel error={result.error} onRetry={result.refetch} />;
  if (!result.data) return <Skeleton lines={3} />;
  const body = render(result.data);
  return <div className="section-body">{body ?? <EmptyState>{t("client.emptySection")}</EmptyState>}</div>;
}
