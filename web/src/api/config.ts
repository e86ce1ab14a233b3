/**
 * Where the app finds the gateway, and how it introduces itself.
 *
 * The app is served by the gateway, so GraphQL is same-origin `/graphql` (HTTP) and `ws(s)://…/graphql`
 * (subscriptions). `VITE_API_KEY` is the web app's *publishable* partner key (deploy/partners.yaml,
 * entry `webapp`): it names the client for rate limits and the safelist, and is not a secret —
 * every browser can read it. Without a partner file the gateway ignores it.
 */

export const GRAPHQL_PATH = "/graphql";

export const API_KEY: string = import.meta.env.VITE_API_KEY ?? "demo-webapp-key-2026";

export function graphqlHttpUrl(): string {
  return new URL(GRAPHQL_PATH, window.location.href).toString();
}

export function graphqlWsUrl(): string {
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.toString();
}
