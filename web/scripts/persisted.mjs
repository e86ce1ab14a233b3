#!/usr/bin/env node
/**
 * Persisted documents: make the bundle's documents the safelisted text, and emit the manifest.
 *
 *   node scripts/persisted.mjs normalize      after codegen: each document in src/gql/graphql.ts
 *                                             becomes the exact body that its hash was computed from
 *   node scripts/persisted.mjs manifest OUT   write the Apollo persisted-query manifest to OUT
 *   node scripts/persisted.mjs check          fail unless deploy/manifests/webapp.json is current
 *
 * graphql-codegen hashes a normalized print of each operation (fragments inlined, fields sorted)
 * but leaves the pretty source text in the bundle. Replacing the text with the hashed body makes
 * `sha256(body) == id` hold for every request the app sends, so a gateway can verify hash + body
 * (APQ) and the production safelist can run the operation by id alone.
 *
 * See https://www.apollographql.com/docs/kotlin/advanced/persisted-queries (manifest format).
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const generated = resolve(root, "src/gql/graphql.ts");
const documentsJson = resolve(root, "src/gql/persisted-documents.json");
export const DEPLOYED = resolve(root, "../deploy/manifests/webapp.json");

const DOCUMENT = /new TypedDocumentString\(`([^`]*)`, \{"hash":"sha256:([0-9a-f]{64})"\}\)/g;
const OPERATION = /^(?:fragment\s+[\s\S]*?\}\s+)*(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

function sha256(text) {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** hash (hex) → body, checked: every hash is the SHA-256 of its body. */
export function readDocuments() {
  const raw = JSON.parse(readFileSync(documentsJson, "utf8"));
  const documents = new Map();
  for (const [key, body] of Object.entries(raw)) {
    const hash = key.replace(/^sha256:/, "");
    if (sha256(body) !== hash) throw new Error(`persisted document ${key} does not hash to its body`);
    documents.set(hash, body);
  }
  return documents;
}

function normalize() {
  const documents = readDocuments();
  let replaced = 0;
  const source = readFileSync(generated, "utf8").replace(DOCUMENT, (whole, _text, hash) => {
    const body = documents.get(hash);
    if (body === undefined) throw new Error(`no persisted document for hash ${hash}`);
    if (body.includes("`") || body.includes("${")) throw new Error(`document ${hash} cannot be a template literal`);
    replaced += 1;
    return `new TypedDocumentString(\`${body}\`, {"hash":"sha256:${hash}"})`;
  });
  writeFileSync(generated, source);
  console.log(`persisted documents: ${replaced} documents normalized in src/gql/graphql.ts`);
}

/** The Apollo persisted-query manifest of every operation, sorted by name. */
export function buildManifest() {
  const operations = [...readDocuments()].map(([id, body]) => {
    const match = OPERATION.exec(body);
    if (!match) throw new Error(`cannot find the operation of document ${id}`);
    return { id, name: match[2], type: match[1], body };
  });
  operations.sort((a, b) => a.name.localeCompare(b.name));
  const names = new Set(operations.map((o) => o.name));
  if (names.size !== operations.length) throw new Error("two operations share a name");
  // The gateway resolves persisted operations (and REST routes) by name too: names must be unique
  // across every manifest it loads.
  const deployDir = dirname(DEPLOYED);
  for (const file of readdirSync(deployDir).filter((f) => f.endsWith(".json") && f !== basename(DEPLOYED))) {
    const other = JSON.parse(readFileSync(resolve(deployDir, file), "utf8"));
    for (const op of other.operations ?? []) {
      if (names.has(op.name)) throw new Error(`operation name ${op.name} is also used in deploy/manifests/${file}; rename it`);
    }
  }
  return `${JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations }, null, 2)}\n`;
}

const [command, out] = process.argv.slice(2);
if (command === "normalize") normalize();
else if (command === "manifest") {
  writeFileSync(resolve(out ?? "dist/persisted-documents.json"), buildManifest());
  console.log(`persisted documents: manifest written to ${out}`);
} else if (command === "check") {
  let deployed = "";
  try {
    deployed = readFileSync(DEPLOYED, "utf8");
  } catch {
    // missing: reported below
  }
  if (deployed !== buildManifest()) {
    console.error(
      "deploy/manifests/webapp.json is not the web app's current manifest; run `npm run manifest:update` " +
        "in web/ and commit it (the gateway safelists exactly that file for the web app).",
    );
    process.exit(1);
  }
  console.log("persisted documents: deploy/manifests/webapp.json is current");
} else if (command === "update") {
  writeFileSync(DEPLOYED, buildManifest());
  console.log(`persisted documents: ${DEPLOYED} updated`);
} else {
  console.error("usage: persisted.mjs normalize | manifest OUT | check | update");
  process.exit(2);
}
