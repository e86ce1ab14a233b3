import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { OsagoProductsQuery } from "../features/osago/operations";
import { execute, resetPersistedMode } from "./client";
import { connection } from "./connection";
import { ApiError } from "./errors";

type Body = { query?: string; operationName: string; extensions: { persistedQuery: { sha256Hash: string } } };

function reply(payload: unknown, status = 200): Response {
  return new Response(JSON.stringify(payload), { status, headers: { "content-type": "application/json", "x-request-id": "rid-1" } });
}

let sent: Body[];

beforeEach(() => {
  resetPersistedMode();
  sent = [];
});
afterEach(() => {
  vi.unstubAllGlobals();
  connection.reachable();
});

function stubFetch(...answers: (Response | Error)[]) {
  const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
    sent.push(JSON.parse(String(init.body)) as Body);
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return answer as Response;
  });
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

describe("execute", () => {
  it("sends the persisted hash alone, and the key of the web app", async () => {
    const fetchMock = stubFetch(reply({ data: { products: [] } }));
    await expect(execute(OsagoProductsQuery, {})).resolves.toEqual({ products: [] });
    expect(sent[0]?.query).toBeUndefined();
    expect(sent[0]?.operationName).toBe("OsagoProducts");
    expect(sent[0]?.extensions.persistedQuery.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
    const headers = (fetchMock.mock.calls[0]?.[1] as RequestInit).headers as Record<string, string>;
    expect(headers["x-api-key"]).toBeTruthy();
  });

  it("resends with the body after PERSISTED_QUERY_NOT_FOUND, and keeps sending bodies", async () => {
    stubFetch(
      reply({ errors: [{ message: "unknown", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] }),
      reply({ data: { products: [] } }),
      reply({ data: { products: [] } }),
    );
    await execute(OsagoProductsQuery, {});
    await execute(OsagoProductsQuery, {});
    expect(sent.map((b) => b.query !== undefined)).toEqual([false, true, true]);
    // The body is the exact text the hash was computed from.
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(sent[1]?.query));
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    expect(hex).toBe(sent[1]?.extensions.persistedQuery.sha256Hash);
  });

  it("turns GraphQL errors into an ApiError with the code, field errors and request id", async () => {
    stubFetch(
      reply({
        errors: [
          {
            message: "bad",
            extensions: { code: "BAD_USER_INPUT", fieldErrors: [{ field: "input.vehicle.vin", message: "VIN" }, { nope: 1 }] },
          },
        ],
      }),
    );
    const error = await execute(OsagoProductsQuery, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", requestId: "rid-1", retryable: false });
    expect((error as ApiError).fieldErrors).toEqual([{ field: "input.vehicle.vin", message: "VIN" }]);
  });

  it("reports an unreachable gateway as NETWORK_ERROR and tells the connection monitor", async () => {
    stubFetch(new TypeError("Failed to fetch"));
    const error = await execute(OsagoProductsQuery, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NETWORK_ERROR", retryable: true });
    expect(connection.getSnapshot().status).not.toBe("online");
  });

  it("reports a non-JSON error page as HTTP_ERROR", async () => {
    stubFetch(new Response("<html>502</html>", { status: 502 }));
    await expect(execute(OsagoProductsQuery, {})).rejects.toMatchObject({ code: "HTTP_ERROR", retryable: true });
  });
});
