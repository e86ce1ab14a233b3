import { rmSync } from "node:fs";

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.E2E_SYSTEM_PID);
  if (pid) {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      // already stopped
    }
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      try {
        process.kill(-pid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // stopped in time
    }
  }
  if (process.env.E2E_DATA_DIR) rmSync(process.env.E2E_DATA_DIR, { recursive: true, force: true });
}
