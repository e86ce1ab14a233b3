/**
 * The shell: skip link, header with navigation, language switch and notifications, the connection
 * banner, and the current screen. The back office is a lazy chunk; the OSAGO purchase is in the
 * first load. On navigation focus moves to the new screen's heading, as screen-reader users expect.
 */
import { Suspense, lazy, useEffect, useRef } from "react";

import { type Language, useI18n } from "./i18n";
import { NotificationCenter } from "./features/notifications/NotificationCenter";
import { SERVER_SOURCES } from "./features/notifications/sources";
import { notifications } from "./features/notifications/store";
import { NotFound } from "./features/NotFound";
import { OsagoPage } from "./features/osago/OsagoPage";
import { Link, useLocation } from "./router";
import { ConnectionBanner } from "./ui/ConnectionBanner";
import { Skeleton } from "./ui/states";

const BackOffice = lazy(() => import("./features/BackOffice"));

function Screen({ pathname }: { pathname: string }) {
  if (pathname === "/") return <OsagoPage />;
  if (pathname === "/back-office" || pathname.startsWith("/back-office/")) {
    return (
      <Suspense fallback={<Skeleton lines={6} />}>
        <BackOffice />
      </Suspense>
    );
  }
  return <NotFound />;
}

export function App() {
  const { t, language, setLanguage } = useI18n();
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => notifications.start(SERVER_SOURCES), []);
  useEffect(() => {
    document.title = `${t("app.title")}`;
  }, [t]);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    // The new screen may be a lazy chunk or still loading: focus its heading once it appears.
    let frame = 0;
    const giveUpAt = performance.now() + 3000;
    const focusHeading = () => {
      const heading = main.current?.querySelector<HTMLElement>("h1");
      if (heading) heading.focus();
      else if (performance.now() < giveUpAt) frame = requestAnimationFrame(focusHeading);
    };
    frame = requestAnimationFrame(focusHeading);
    return () => cancelAnimationFrame(frame);
  }, [pathname]);

  const current = (path: string) => (pathname === path || (path !== "/" && pathname.startsWith(path)) ? "page" : undefined);

  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          {t("app.title")}
        </Link>
        <nav aria-label={t("app.title")}>
          <ul>
            <li>
              <Link to="/" aria-current={current("/")}>
                {t("app.navBuy")}
              </Link>
            </li>
            <li>
              <Link to="/back-office/applications" aria-current={current("/back-office/applications")}>
                {t("app.navApplications")}
              </Link>
            </li>
            <li>
              <Link to="/back-office/batch" aria-current={current("/back-office/batch")}>
                {t("app.navBatch")}
              </Link>
            </li>
            <li>
              <a href="/graphql">{t("app.navExplorer")}</a>
            </li>
          </ul>
        </nav>
        <div className="language">
          <label htmlFor="language">{t("app.language")}</label>
          <select id="language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
            <option value="ru" lang="ru">
              Русский
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </div>
      </header>
      <ConnectionBanner />
      <NotificationCenter />
      <main id="main" ref={main} tabIndex={-1}>
        <Screen pathname={pathname} />
      </main>
    </>
  );
}
