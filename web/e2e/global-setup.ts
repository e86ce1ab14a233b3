/**
 * Start the system once for all browser tests: `insuretech up --partners` (production mode: the
 * web app's key runs exactly its manifest) on a free port offset, with SQLite data of its own.
 * The web app must be built (`npm run build`); `insuretech up` checks its build stamp.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

import { ARTIFACTS, PYTHON, freeOffset, newDataDir, start, systemEnv } from "./system";

export default async function globalSetup(): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const offset = await freeOffset();
  const dataDir = newDataDir();
  const env = systemEnv(dataDir);
  const args = [PYTHON, "-m", "insuretech_cli.main", "up", "--clients", "60", "--port-offset", String(offset), "--partners"];
  const system = await start(args, env, /Ctrl-C stops everything/, 180_000);
  const log = system.output.join("");
  const app = /web app\s+(http:\/\/\S+)/.exec(log)?.[1];
  if (!app) throw new Error(`insuretech up did not serve the web app (is web/dist built?):\n${log}`);
  process.env.E2E_BASE_URL = app;
  process.env.E2E_PORT_OFFSET = String(offset);
  process.env.E2E_DATA_DIR = dataDir;
  process.env.E2E_SYSTEM_PID = String(system.process.pid);
  writeFileSync(resolve(ARTIFACTS, "system.log"), log);
  system.process.stdout?.on("data", () => undefined);
  system.process.stderr?.on("data", () => undefined);
}
