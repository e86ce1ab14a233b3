/** The notification list in the header: a polite live region, each item dismissible. */
import { useSyncExternalStore } from "react";

import { useI18n } from "../../i18n";
import { type NotificationStore, notifications } from "./store";

export function NotificationCenter({ store = notifications }: { store?: NotificationStore }) {
  const { t, locale } = useI18n();
  const items = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return (
    <section className="notifications" aria-labelledby="notifications-title">
      <h2 id="notifications-title" className="visually-hidden">
        {t("notifications.title")}
      </h2>
      <ul aria-live="polite" data-testid="notifications">
        {items.map((item) => (
          <li key={item.id} className={`notification notification-${item.kind}`}>
            <span>{item.text}</span>{" "}
            <time className="muted" dateTime={new Date(item.at).toISOString()}>
              {new Date(item.at).toLocaleTimeString(locale, { timeStyle: "short" })}
            </time>
            <button type="button" className="link-button" aria-label={t("notifications.dismiss")} onClick={() => store.dismiss(item.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
