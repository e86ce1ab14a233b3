/** The operator's screens, loaded as a separate chunk: a buyer of OSAGO never downloads them. */
import { matchPath, useLocation } from "../router";
import { ApplicationDetail } from "./applications/ApplicationDetail";
import { ApplicationsPage } from "./applications/ApplicationsPage";
import { BatchUpload } from "./applications/BatchUpload";
import { CreateApplication } from "./applications/CreateApplication";
import { ClientCard } from "./clients/ClientCard";
import { NotFound } from "./NotFound";

export default function BackOffice() {
  const { pathname } = useLocation();
  if (matchPath("/back-office/applications", pathname) || matchPath("/back-office", pathname)) return <ApplicationsPage />;
  if (matchPath("/back-office/applications/new", pathname)) return <CreateApplication />;
  if (matchPath("/back-office/batch", pathname)) return <BatchUpload />;
  const application = matchPath("/back-office/applications/:id", pathname);
  if (application?.id) return <ApplicationDetail key={application.id} id={application.id} />;
  const client = matchPath("/back-office/clients/:id", pathname);
  if (client?.id) return <ClientCard key={client.id} id={client.id} />;
  return <NotFound />;
}
