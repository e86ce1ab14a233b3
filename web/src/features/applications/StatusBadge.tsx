import type { ApplicationStatus } from "../../gql/graphql";
import { useI18n } from "../../i18n";

export const STATUSES: readonly ApplicationStatus[] = [
  "DRAFT",
  "SUBMITTED",
  "PROCESSING",
  "OFFERED",
  "APPROVED",
  "REJECTED",
  "CANCELLED",
  "COMPLETED",
];

export const CANCELLABLE: ReadonlySet<ApplicationStatus> = new Set(["DRAFT", "SUBMITTED", "PROCESSING", "OFFERED"]);

export function StatusBadge({ status }: { status: ApplicationStatus }) {
  const { t } = useI18n();
  return <span className={`badge badge-${status.toLowerCase()}`}>{t(`status.${status}`)}</span>;
}
