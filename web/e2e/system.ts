/**
 * The real system for browser tests: `insuretech up` on free ports with its own SQLite data, and
 * helpers to start an extra gateway that a test may stop and restart.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const PYTHON = process.env.INSURETECH_PYTHON ?? resolve(REPO, ".venv/bin/python");
export const ARTIFACTS = resolve(REPO, "var/artifacts/web");

/** Default ports of `insuretech up` (insuretech_cli/topology.py). */
const PORTS = [4000, 4001, 4002, 4003, 50051, 50052, 50053];

export function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/** An offset that puts every port of the system on a free port (gateway 10000–19000). */
export async function freeOffset(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const offset = 6000 + Math.floor(Math.random() * 9000);
    const free = await Promise.all(PORTS.map((p) => portFree(p + offset)));
    if (free.every(Boolean)) return offset;
  }
  throw new Error("no free port offset for the system under test");
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    if (await portFree(port)) return port;
  }
  throw new Error("no free port");
}

/** The environment every process of the system under test gets: SQLite data of its own, fast insurers. */
export function systemEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, INSURETECH_DATA_DIR: dataDir, PYTHONUNBUFFERED: "1" };
  for (const key of Object.keys(env)) if (key.endsWith("DATABASE_URL") || key === "REDIS_URL") delete env[key];
  // Insurers decide within 0.2–6 s (most near 1 s) but get 2.5 s: about two in five time out, so
  // the page must show timed-out and failed insurers, not hide them.
  Object.assign(env, {
    OSAGO_LATENCY_MIN_S: "0.2",
    OSAGO_LATENCY_MODE_S: "1.0",
    OSAGO_LATENCY_MAX_S: "6",
    OSAGO_DEADLINE_S: "2.5",
    OSAGO_SEED: "14",
    OSAGO_FAILURE_RATE: "0.15",
    OSAGO_DECLINE_RATE: "0.1",
  });
  return env;
}

export function newDataDir(): string {
  return mkdtempSync(resolve(tmpdir(), "insuretech-e2e-"));
}

export interface Running {
  process: ChildProcess;
  output: string[];
}

/** Spawn a process in its own group and wait until a line of its output matches `ready`. */
export function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs = 120_000): Promise<Running> {
  const child = spawn(args[0] as string, args.slice(1), { cwd: REPO, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in ${timeoutMs} ms:\n${output.join("")}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      if (output.length > 400) output.splice(0, output.length - 400);
      if (ready.test(text)) {
        clearTimeout(timer);
        resolveStart({ process: child, output });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited with ${code}:\n${output.join("")}`));
    });
  });
}

/** SIGTERM the process group, SIGKILL after `graceMs`; resolves when it has exited. */
export function stop(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // already gone
      }
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(kill);
      done();
    });
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      clearTimeout(kill);
      done();
    }
  });
}

/** A gateway of its own on `port`, in front of the system's subgraphs (for stop/restart tests). */
export async function startGateway(port: number, offset: number, env: NodeJS.ProcessEnv): Promise<Running> {
  const subgraphs = Object.fromEntries(
    ["CLIENT_INFO", "APPLICATIONS", "CORE_APP"].map((name, i) => [
      `GATEWAY_SUBGRAPH_URL_${name}`,
      `http://127.0.0.1:${4001 + i + offset}/graphql`,
    ]),
  );
  const args = [
    PYTHON,
    "-m",
    "gateway",
    "--supergraph",
    resolve(REPO, "schema/supergraph.graphql"),
    "--port",
    String(port),
    "--partners",
    resolve(REPO, "deploy/partners.yaml"),
    "--rest",
    resolve(REPO, "deploy/rest.yaml"),
    "--web",
    resolve(REPO, "web/dist"),
  ];
  // "Application startup complete" comes before the socket is bound: wait for the bind, then health.
  const running = await start(args, { ...env, ...subgraphs }, /Uvicorn running on/, 60_000);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return running;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the gateway on port ${port} did not become healthy:\n${running.output.join("")}`);
}

/** POST a GraphQL document straight to a subgraph (no partner gate there), for test data. */
export async function subgraphQuery<T>(port: number, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const payload = (await response.json()) as { data?: T; errors?: unknown };
  if (!payload.data) throw new Error(`subgraph ${port}: ${JSON.stringify(payload.errors)}`);
  return payload.data;
}
