/**
 * The web app's build. Output goes to `dist/` (served by the gateway at `/`); `npm run build` also
 * emits the persisted-documents manifest and the offline GraphiQL explorer (vite.explorer.config.ts).
 * Vitest runs component tests in happy-dom from here as well.
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const gateway = process.env.INSURETECH_GATEWAY ?? "http://127.0.0.1:4000";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    manifest: true,
    rollupOptions: { input: "index.html" },
  },
  server: {
    // `npm run dev` against a running `./dev up`: API calls go to its gateway.
    proxy: {
      "/graphql": { target: gateway, ws: true },
      "/health": gateway,
    },
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
  },
});
