/** The offline / reconnecting banner for the live parts, and a short "restored" note after. */
import { useEffect, useRef, useState, useSyncExternalStore } from "react";

import { connection } from "../api/connection";
import { useI18n } from "../i18n";

const RESTORED_MS = 4000;

export function ConnectionBanner({ monitor = connection }: { monitor?: typeof connection }) {
  const { t } = useI18n();
  const { status, recoveries } = useSyncExternalStore(monitor.subscribe, monitor.getSnapshot);
  const [restored, setRestored] = useState(false);
  const seen = useRef(recoveries);
  useEffect(() => {
    if (recoveries === seen.current) return undefined;
    seen.current = recoveries;
    setRestored(true);
    const timer = setTimeout(() => setRestored(false), RESTORED_MS);
    return () => clearTimeout(timer);
  }, [recoveries]);

  let text = "";
  let kind = "";
  if (status === "offline") [text, kind] = [t("connection.offline"), "banner-offline"];
  else if (status === "reconnecting") [text, kind] = [t("connection.reconnecting"), "banner-offline"];
  else if (restored) [text, kind] = [t("connection.restored"), "banner-restored"];
  // The live region stays in the DOM so screen readers announce changes of its text.
  return (
    <div className={`connection-banner ${kind}`} role="status" aria-live="polite" data-status={status} data-testid="connection-banner">
      {text}
    </div>
  );
}
