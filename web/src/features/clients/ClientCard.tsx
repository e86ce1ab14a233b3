/**
 * The client card: a header, then collapsible sections that load when first opened (and stay
 * loaded). Each section is its own small query, so the card never asks for ~500 attributes at once.
 */
import { type ReactNode, useState } from "react";

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
        {(data) => (
          <dl className="facts">
            <dt>{t("client.phone")}</dt>
            <dd>{data.client?.phone ?? t("common.none")}</dd>
            <dt>{t("client.email")}</dt>
            <dd>{data.client?.email ?? t("common.none")}</dd>
            {data.client?.addresses.map((a, i) => (
              <Fragmented key={i} term={`${t("client.address")} (${a.kind.toLowerCase()})`}>
                {[a.postalCode, a.region, a.city, a.street, a.house, a.apartment].filter(Boolean).join(", ")}
              </Fragmented>
            ))}
          </dl>
        )}
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
          if (!e) return <EmptyState>{t("client.emptySection")}</EmptyState>;
          return (
            <dl className="facts">
              <dt>{t("client.employer")}</dt>
              <dd>{e.employer ?? t("common.none")}</dd>
              <dt>{t("client.position")}</dt>
              <dd>{e.position ?? t("common.none")}</dd>
              <dt>{t("client.income")}</dt>
              <dd>{e.monthlyIncome?.formatted ?? t("common.none")}</dd>
              <dt>{t("client.experience")}</dt>
              <dd>{e.experienceYears ?? t("common.none")}</dd>
            </dl>
          );
        }}
      </Section>
      <Section title="client.health" document={ClientHealthQuery} id={id}>
        {(data) => {
          const h = data.client?.profile.health;
          if (!h) return <EmptyState>{t("client.emptySection")}</EmptyState>;
          return (
            <dl className="facts">
              <dt>{t("client.height")}</dt>
              <dd>{h.heightCm ?? t("common.none")}</dd>
              <dt>{t("client.weight")}</dt>
              <dd>{h.weightKg ?? t("common.none")}</dd>
              <dt>{t("client.smoker")}</dt>
              <dd>{h.smoker ? t("common.yes") : t("common.no")}</dd>
              <dt>{t("client.chronic")}</dt>
              <dd>{h.chronicDiseases ? t("common.yes") : t("common.no")}</dd>
            </dl>
          );
        }}
      </Section>
      <Section title="client.marketing" document={ClientMarketingQuery} id={id}>
        {(data) => {
          const m = data.client?.profile.marketing;
          if (!m) return <EmptyState>{t("client.emptySection")}</EmptyState>;
          return (
            <dl className="facts">
              <dt>{t("client.consentSms")}</dt>
              <dd>{m.consentSms ? t("common.yes") : t("common.no")}</dd>
              <dt>{t("client.consentEmail")}</dt>
              <dd>{m.consentEmail ? t("common.yes") : t("common.no")}</dd>
              <dt>{t("client.segment")}</dt>
              <dd>{m.segment ?? t("common.none")}</dd>
              <dt>{t("client.channel")}</dt>
              <dd>{m.acquisitionChannel ?? t("common.none")}</dd>
            </dl>
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

function Fragmented({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
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
  const result = useQuery(document, { id });
  if (result.error) return <ErrorPanel error={result.error} onRetry={result.refetch} />;
  if (!result.data) return <Skeleton lines={3} />;
  return <div className="section-body">{render(result.data)}</div>;
}
