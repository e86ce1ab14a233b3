/**
 * Typed GraphQL client generation (graphql-codegen, client preset).
 *
 * The schema is the supergraph's API schema (`schema/api.graphql`, written by `insuretech api-schema`),
 * so the app compiles against exactly what the gateway validates. Documents are strings with an
 * embedded SHA-256 (`__meta__.hash`): the client sends the hash, and the build turns
 * `persisted-documents.json` into the Apollo manifest the gateway safelists (scripts/manifest.mjs).
 */
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema/api.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  generates: {
    "src/gql/": {
      preset: "client",
      config: {
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { Date: "string", DateTime: "string", Long: "number" },
      },
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: "embedHashInDocument", hashAlgorithm: "sha256" },
      },
    },
  },
};

export default config;
