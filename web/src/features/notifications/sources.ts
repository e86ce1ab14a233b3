/**
 * Server-pushed notification sources, started once by the app shell.
 *
 * Empty until the reports/notifications services of issue 11 exist. Wiring the purchase report
 * then takes one source here, e.g.:
 *
 *   const reportReady: NotificationSource = (push) =>
 *     subscribe(ReportReadySubscription, { clientId }, {
 *       next: ({ reportReady }) => push({ kind: "report", text: …, href: reportReady.url }),
 *       error: () => {}, complete: () => {},
 *     });
 *
 * plus the `ReportReady` document (codegen adds it to the persisted manifest).
 */
import type { NotificationSource } from "./store";

export const SERVER_SOURCES: readonly NotificationSource[] = [];
