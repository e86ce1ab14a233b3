/**
 * Browser tests: Playwright driving Debian's Chromium (`/usr/bin/chromium`, installed by the project's
 * set-up; Playwright's own browser download is not used) against the real system started by
 * `e2e/global-setup.ts` — every backend, subgraph and the gateway in production mode (partner file:
 * the web app runs only its manifest). Screenshots and failure traces go to var/artifacts/web/.
 */
import { defineConfig } from "@playwright/test";

const artifacts = "../var/artifacts/web";

export default defineConfig({
  testDir: "e2e",
  outputDir: `${artifacts}/test-results`,
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: `${artifacts}/e2e-results.json` }]],
  use: {
    headless: true,
    locale: "ru-RU",
    viewport: { width: 1280, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      // Without the background-networking flags Chromium tries Google's hosts, which this
      // machine's closed network refuses; root needs --no-sandbox.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    },
  },
});
