import { useI18n } from "../i18n";
import { Link } from "../router";

export function NotFound() {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1 tabIndex={-1}>{t("app.notFound")}</h1>
      <Link to="/">{t("app.home")}</Link>
    </div>
  );
}
