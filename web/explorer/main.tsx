/**
 * The offline GraphiQL explorer, served by the gateway and by each subgraph at `GET /graphql`.
 *
 * Everything (GraphiQL, CodeMirror, React, the styles) is inlined into one HTML file by the build,
 * so the explorer works without internet and the Python servers only return a file. It talks to the
 * page's own `/graphql` over HTTP, and over `graphql-transport-ws` for subscriptions.
 */
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { createRoot } from "react-dom/client";

const endpoint = new URL(window.location.pathname, window.location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

const fetcher = createGraphiQLFetcher({ url: endpoint.toString(), subscriptionUrl: socket.toString() });

const root = document.getElementById("graphiql");
if (root) createRoot(root).render(<GraphiQL fetcher={fetcher} defaultEditorToolsVisibility="variables" />);
