/** Batch create from a CSV file: parse and check locally, send up to 100 rows, show each row's outcome. */
import { type ChangeEvent, useState } from "react";

import { type ApiError, asApiError } from "../../api/errors";
import { useMutation } from "../../api/useQuery";
import type { BackOfficeCreateApplicationsMutation as Result } from "../../gql/graphql";
import { useI18n } from "../../i18n";
import { Link } from "../../router";
import { ErrorPanel } from "../../ui/ErrorPanel";
import { MAX_BATCH, type ParsedRow, rowsFromCsv } from "./csv";
import { CreateApplicationsMutation } from "./operations";

type Outcome = Result["createApplications"][number];

export function BatchUpload() {
  const { t } = useI18n();
  const [rows, setRows] = useState<ParsedRow[]>([]);
  const [outcomes, setOutcomes] = useState<Map<number, Outcome>>(new Map());
  const [failure, setFailure] = useState<ApiError>();
  const createMany = useMutation(CreateApplicationsMutation);
  const valid = rows.filter((r) => r.input);
  const tooMany = valid.length > MAX_BATCH;

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setOutcomes(new Map());
    setFailure(undefined);
    setRows(file ? rowsFromCsv(await file.text()) : []);
  };

  const upload = async () => {
    if (createMany.inFlight.current || tooMany || valid.length === 0) return;
    setFailure(undefined);
    try {
      const data = await createMany.run({ inputs: valid.map((r) => r.input as NonNullable<ParsedRow["input"]>) });
      setOutcomes(new Map(data.createApplications.map((o) => [valid[o.index]?.line ?? -1, o])));
    } catch (error) {
      setFailure(asApiError(error));
    }
  };

  const all = [...outcomes.values()];
  const created = all.filter((o) => o.created).length;
  const existing = all.filter((o) => o.application && !o.created).length;
  const failed = all.filter((o) => o.error).length + rows.filter((r) => r.error).length;

  return (
    <div className="page">
      <p>
        <Link to="/back-office/applications">← {t("detail.backToList")}</Link>
      </p>
      <h1 tabIndex={-1}>{t("batch.title")}</h1>
      <p id="batch-help" className="muted">
        {t("batch.help")}
      </p>
      <div className="field">
        <label htmlFor="batch-file">{t("batch.file")}</label>
        <input id="batch-file" type="file" accept=".csv,text/csv" aria-describedby="batch-help" onChange={(e) => void choose(e)} />
      </div>
      {rows.length > 0 && <p role="status">{t("batch.parsed", { count: valid.length })}</p>}
      {tooMany && <p role="alert">{t("batch.tooMany", { count: valid.length, max: MAX_BATCH })}</p>}
      {failure && <ErrorPanel error={failure} onRetry={() => void upload()} />}
      <button type="button" className="primary" onClick={() => void upload()} disabled={createMany.busy || tooMany || valid.length === 0}>
        {createMany.busy ? t("batch.uploading") : t("batch.upload")}
      </button>
      {outcomes.size > 0 && (
        <p role="status" data-testid="batch-summary">
          {t("batch.summary", { created, existing, failed })}
        </p>
      )}
      {rows.length > 0 && (
        <table data-testid="batch-table">
          <caption className="visually-hidden">{t("batch.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("batch.row")}</th>
              <th scope="col">{t("batch.result")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const outcome = outcomes.get(row.line);
              let text = row.error ?? "";
              if (outcome?.application) {
                text = outcome.created
                  ? t("batch.ok", { number: outcome.application.number })
                  : t("batch.duplicate", { number: outcome.application.number });
              } else if (outcome?.error) {
                text = [outcome.error.message, ...outcome.error.fieldErrors.map((f) => f.message)].join(" ");
              }
              return (
                <tr key={row.line}>
                  <td>{row.line}</td>
                  <td>{text}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
