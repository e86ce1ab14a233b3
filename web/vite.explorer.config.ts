/**
 * The GraphiQL explorer as one self-contained HTML file (`dist/explorer.html`): after Vite has
 * written the bundle to a scratch folder, its scripts and styles are inlined into the page, so the
 * gateway and the subgraphs serve it as a single response, with no CDN and no static-file routes.
 * Built from npm packages pinned by package-lock.json.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

import react from "@vitejs/plugin-react";
import { type Plugin, defineConfig } from "vite";

const scratch = resolve(import.meta.dirname, "dist/.explorer");
const target = resolve(import.meta.dirname, "dist/explorer.html");

function inlineIntoOnePage(): Plugin {
  return {
    name: "insuretech-inline-explorer",
    apply: "build",
    closeBundle() {
      let html = readFileSync(resolve(scratch, "index.html"), "utf8");
      const read = (href: string) => readFileSync(resolve(scratch, href.replace(/^\.?\//, "")), "utf8");
      let scripts = 0;
      html = html.replace(/<script type="module" crossorigin src="([^"]+)"><\/script>/g, (_tag, src: string) => {
        scripts += 1;
        return `<script type="module">${read(src).replace(/<\/script/gi, "<\\/script")}</script>`;
      });
      html = html.replace(/<link rel="stylesheet" crossorigin href="([^"]+)">/g, (_tag, href: string) => `<style>${read(href)}</style>`);
      if (scripts !== 1 || /<(script|link)[^>]+(src|href)="\.?\/?assets\//.test(html)) {
        throw new Error("the explorer page still references files after inlining");
      }
      writeFileSync(target, html);
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export default defineConfig({
  root: "explorer",
  base: "./",
  plugins: [react(), inlineIntoOnePage()],
  build: {
    outDir: scratch,
    emptyOutDir: true,
    target: "es2022",
    modulePreload: false,
    chunkSizeWarningLimit: 4096, // one page holding all of GraphiQL, by design
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    cssCodeSplit: false,
    rollupOptions: {
      output: { codeSplitting: false },
      onLog(level, log, handler) {
        // react-compiler-runtime's "use no memo" directive is irrelevant once bundled.
        if (log.code === "MODULE_LEVEL_DIRECTIVE") return;
        handler(level, log);
      },
    },
  },
});
