/**
 * The GraphiQL explorer as one self-contained HTML file (`dist/explorer.html`): scripts and styles are
 * inlined after bundling, so the gateway and the subgraphs serve it as a single response, with no CDN
 * and no static-file routes. Built from npm packages pinned by package-lock.json.
 */
import react from "@vitejs/plugin-react";
import { type Plugin, defineConfig } from "vite";

function inlineEverything(): Plugin {
  return {
    name: "insuretech-inline-explorer",
    enforce: "post",
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find((item) => item.fileName.endsWith(".html"));
      if (!html || html.type !== "asset") throw new Error("the explorer build produced no HTML");
      let source = String(html.source);
      for (const [name, item] of Object.entries(bundle)) {
        if (item.type === "chunk" && item.isEntry) {
          const tag = new RegExp(`<script type="module" crossorigin src="[^"]*${item.fileName.replace(/[.]/g, "\\.")}"></script>`);
          if (!tag.test(source)) throw new Error(`cannot find the script tag of ${item.fileName}`);
          const code = item.code.replace(/<\/script/gi, "<\\/script");
          source = source.replace(tag, () => `<script type="module">${code}</script>`);
          delete bundle[name];
        } else if (item.type === "asset" && item.fileName.endsWith(".css")) {
          const tag = new RegExp(`<link rel="stylesheet" crossorigin href="[^"]*${item.fileName.replace(/[.]/g, "\\.")}">`);
          source = source.replace(tag, () => `<style>${String(item.source)}</style>`);
          delete bundle[name];
        }
      }
      html.source = source;
      html.fileName = "explorer.html";
    },
  };
}

export default defineConfig({
  root: "explorer",
  base: "./",
  plugins: [react(), inlineEverything()],
  build: {
    outDir: "../dist",
    emptyOutDir: false,
    target: "es2022",
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
