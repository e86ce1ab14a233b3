/**
 * The application list: the seed's filters (applied from/to, status), full-text search and cursor
 * pagination ("show more" appends the next page). Filters live in the address, so a filtered list
 * can be bookmarked, shared and restored with Back.
 */
import { type FormEvent, useEffect, useState } from "react";

import { execute } from "../../api/client";
import { type ApiError, asApiError } from "../../api/errors";
import { useQuery } from "../../api/useQuery";
import type { ApplicationRowFragment, ApplicationStatus } from "../../gql/graphql";
import { formatDate } from "../../format";
import { useI18n } from "../../i18n";
import { Link, navigate, useLocation } from "../../router";
import { ErrorPanel } from "../../ui/ErrorPanel";
import { EmptyState, Skeleton } from "../../ui/states";
import { ApplicationsQuery, SearchApplicationsQuery } from "./operations";
import { STATUSES, StatusBadge } from "./StatusBadge";

export const PAGE_SIZE = 20;
const SEARCH_LIMIT = 50;

interface Filters {
  from: string;
  to: string;
  status: string;
  q: string;
}

function filtersOf(search: URLSearchParams): Filters {
  return {
    from: search.get("from") ?? "",
    to: search.get("to") ?? "",
    status: search.get("status") ?? "",
    q: search.get("q") ?? "",
  };
}

function hrefOf(filters: Filters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const query = params.toString();
  return `/back-office/applications${query ? `?${query}` : ""}`;
}

export function ApplicationsPage() {
  const { t } = useI18n();
  const { search } = useLocation();
  const filters = filtersOf(search);
  const [draft, setDraft] = useState(filters);
  const key = hrefOf(filters);
  useEffect(() => setDraft(filtersOf(new URLSearchParams(key.split("?")[1] ?? ""))), [key]);

  const applyFilters = (event: FormEvent) => {
    event.preventDefault();
    navigate(hrefOf({ ...draft, q: "" }));
  };
  const runSearch = (event: FormEvent) => {
    event.preventDefault();
    navigate(hrefOf({ from: "", to: "", status: "", q: draft.q.trim() }));
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1 tabIndex={-1}>{t("applications.title")}</h1>
        <Link to="/back-office/applications/new" className="button primary">
          {t("applications.create")}
        </Link>
      </div>
      <form role="search" className="toolbar" onSubmit={runSearch} aria-label={t("applications.search")}>
        <label htmlFor="search-q">{t("applications.search")}</label>
        <input
          id="search-q"
          type="search"
          value={draft.q}
          placeholder={t("applications.searchPlaceholder")}
          onChange={(e) => setDraft({ ...draft, q: e.target.value })}
        />
        <button type="submit">{t("applications.searchButton")}</button>
      </form>
      <form className="toolbar" onSubmit={applyFilters} aria-label={t("applications.filters")}>
        <label htmlFor="filter-from">{t("applications.appliedFrom")}</label>
        <input id="filter-from" type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        <label htmlFor="filter-to">{t("applications.appliedTo")}</label>
        <input id="filter-to" type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        <label htmlFor="filter-status">{t("applications.status")}</label>
        <select id="filter-status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
          <option value="">{t("applications.anyStatus")}</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
        <button type="submit">{t("applications.apply")}</button>
        <button type="button" onClick={() => navigate(hrefOf({ from: "", to: "", status: "", q: "" }))}>
          {t("applications.reset")}
        </button>
      </form>
      {filters.q ? <SearchResults q={filters.q} /> : <PagedList key={key} filters={filters} />}
    </div>
  );
}

function SearchResults({ q }: { q: string }) {
  const { t } = useI18n();
  const result = useQuery(SearchApplicationsQuery, { q, limit: SEARCH_LIMIT });
  if (result.error) return <ErrorPanel error={result.error} onRetry={result.refetch} />;
  if (!result.data) return <Skeleton lines={5} />;
  const rows = result.data.searchApplications;
  return (
    <>
      <p role="status">{t("applications.searchResults", { count: rows.length })}</p>
      {rows.length === 0 ? <EmptyState>{t("applications.emptySearch", { q })}</EmptyState> : <ApplicationTable rows={rows} />}
      <p>
        <Link to="/back-office/applications">{t("applications.clearSearch")}</Link>
      </p>
    </>
  );
}

interface Paged {
  rows: ApplicationRowFragment[];
  endCursor: string | null | undefined;
  hasNextPage: boolean;
}

function PagedList({ filters }: { filters: Filters }) {
  const { t } = useI18n();
  const [paged, setPaged] = useState<Paged>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);
  const [attempt, setAttempt] = useState(0);

  const load = async (after: string | null | undefined, signal?: AbortSignal) => {
    setLoading(true);
    setError(undefined);
    try {
      const filter = {
        appliedFrom: filters.from || null,
        appliedTo: filters.to || null,
        status: filters.status ? [filters.status as ApplicationStatus] : null,
      };
      const data = await execute(ApplicationsQuery, { filter, first: PAGE_SIZE, after: after ?? null }, signal);
      const page = data.applications;
      setPaged((previous) => ({
        rows: after && previous ? [...previous.rows, ...page.nodes] : page.nodes,
        endCursor: page.pageInfo.endCursor,
        hasNextPage: page.pageInfo.hasNextPage,
      }));
    } catch (caught) {
      if (!signal?.aborted) setError(asApiError(caught));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    const controller = new AbortController();
    void load(null, controller.signal);
    return () => controller.abort();
  }, [attempt]);

  if (!paged) {
    return error ? <ErrorPanel error={error} onRetry={() => setAttempt((n) => n + 1)} /> : <Skeleton lines={6} />;
  }
  return (
    <>
      {paged.rows.length === 0 ? (
        <EmptyState>{t("applications.empty")}</EmptyState>
      ) : (
        <>
          <ApplicationTable rows={paged.rows} />
          <p className="muted" role="status">
            {t("applications.shown", { count: paged.rows.length })}
          </p>
        </>
      )}
      {error && <ErrorPanel error={error} onRetry={() => void load(paged.endCursor)} />}
      {paged.hasNextPage && !error && (
        <button type="button" onClick={() => void load(paged.endCursor)} disabled={loading} aria-busy={loading}>
          {loading ? t("common.loading") : t("applications.more")}
        </button>
      )}
    </>
  );
}

export function ApplicationTable({ rows }: { rows: readonly ApplicationRowFragment[] }) {
  const { t, locale } = useI18n();
  return (
    <div className="table-wrap">
      <table data-testid="applications-table">
        <caption className="visually-hidden">{t("applications.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("applications.number")}</th>
            <th scope="col">{t("applications.status")}</th>
            <th scope="col">{t("applications.client")}</th>
            <th scope="col">{t("applications.product")}</th>
            <th scope="col">{t("applications.applied")}</th>
            <th scope="col" className="num">
              {t("applications.sum")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-status={row.status}>
              <td>
                <Link to={`/back-office/applications/${row.id}`}>{row.number}</Link>
              </td>
              <td>
                <StatusBadge status={row.status} />
              </td>
              <td>
                {row.client ? (
                  <Link to={`/back-office/clients/${row.client.id}`}>{row.client.fullName}</Link>
                ) : (
                  t("applications.unresolved")
                )}
              </td>
              <td>{row.product?.name ?? t("applications.unresolved")}</td>
              <td>
                <time dateTime={row.appliedAt ?? undefined}>{formatDate(row.appliedAt, locale)}</time>
              </td>
              <td className="num">{row.sumInsured.formatted}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
