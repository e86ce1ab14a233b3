#!/usr/bin/env node
/**
 * First-load JavaScript of the built app, gzip-compressed, against the budget (250 KB).
 *
 * "First load" is the entry chunk and every chunk it imports statically (Vite's build manifest);
 * lazy chunks (the back office) are listed but not counted. Prints a table, writes it as JSON to
 * ../var/artifacts/web/bundle.json for CI, and exits 1 over budget.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 250 * 1024;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = resolve(root, "dist");
const manifest = JSON.parse(readFileSync(resolve(dist, ".vite/manifest.json"), "utf8"));

const entryKey = Object.keys(manifest).find((key) => manifest[key].isEntry);
if (!entryKey) throw new Error("the build manifest has no entry");

const firstLoad = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || firstLoad.has(chunk.file)) return;
  firstLoad.add(chunk.file);
  for (const imported of chunk.imports ?? []) visit(imported);
};
visit(entryKey);

const rows = [...new Set(Object.values(manifest).map((c) => c.file))]
  .filter((file) => file.endsWith(".js"))
  .map((file) => {
    const bytes = readFileSync(resolve(dist, file));
    return { file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, firstLoad: firstLoad.has(file) };
  })
  .sort((a, b) => Number(b.firstLoad) - Number(a.firstLoad) || b.gzip - a.gzip);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const total = rows.filter((r) => r.firstLoad).reduce((sum, r) => sum + r.gzip, 0);
console.log("chunk                                        raw        gzip   first load");
for (const r of rows) {
  console.log(`${r.file.padEnd(40)} ${kb(r.bytes).padStart(10)} ${kb(r.gzip).padStart(10)}   ${r.firstLoad ? "yes" : "lazy"}`);
}
console.log(`first-load JS (gzip): ${kb(total)} of a ${kb(BUDGET_BYTES)} budget`);

const out = resolve(root, "../var/artifacts/web");
mkdirSync(out, { recursive: true });
writeFileSync(resolve(out, "bundle.json"), `${JSON.stringify({ budgetBytes: BUDGET_BYTES, firstLoadGzipBytes: total, chunks: rows }, null, 2)}\n`);
if (total > BUDGET_BYTES) {
  console.error(`first-load JS is ${kb(total)} gzip, over the ${kb(BUDGET_BYTES)} budget.`);
  process.exit(1);
}
