/**
 * CSV → batch create inputs.
 *
 * RFC 4180 fields (quoted fields may hold commas, quotes as "" and line breaks); `,` or `;` as the
 * separator (spreadsheets in Russian locales write `;`). Each row gets an idempotency key derived
 * from its content and position, so uploading the same file again reports the applications that
 * already exist instead of creating them twice.
 */
import type { ApplicationBatchInput, InsuredObjectKind } from "../../gql/graphql";

export const MAX_BATCH = 100;

export const COLUMNS = ["clientId", "productId", "kind", "sumRub", "termMonths", "comment", "vin", "year", "powerHp"] as const;

export interface ParsedRow {
  /** 1-based line of the row in the file (the header is line 1). */
  line: number;
  input?: ApplicationBatchInput;
  error?: string;
}

export function parseCsv(text: string): string[][] {
  const source = text.replace(/^\uFEFF/, "");
  const firstLine = source.split(/\r?\n/, 1)[0] ?? "";
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === separator) {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && source[i + 1] === "\n") i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ""));
}

/** A short stable hash (cyrb53) as hex, for idempotency keys. */
export function contentHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

const KINDS: readonly InsuredObjectKind[] = ["PERSON", "VEHICLE", "PROPERTY", "TRIP"];

function rubToKopecks(value: string): number | null {
  const clean = value.replace(/[\s\u00a0]/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [whole = "0", fraction = ""] = clean.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** Rows of a CSV file with a header, as batch inputs or a reason each row is unusable. */
export function rowsFromCsv(text: string): ParsedRow[] {
  const [header, ...body] = parseCsv(text);
  if (!header) return [];
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = COLUMNS.slice(0, 5).filter((c) => !index.has(c));
  if (missing.length > 0) return [{ line: 1, error: `missing columns: ${missing.join(", ")}` }];
  return body.map((cells, i) => {
    const line = i + 2;
    const get = (name: (typeof COLUMNS)[number]) => (index.has(name) ? (cells[index.get(name) as number] ?? "").trim() : "");
    const kind = get("kind").toUpperCase() as InsuredObjectKind;
    const sum = rubToKopecks(get("sumRub"));
    const term = Number(get("termMonths"));
    if (!KINDS.includes(kind)) return { line, error: `kind must be one of ${KINDS.join(", ")}` };
    if (sum === null || sum <= 0) return { line, error: "sumRub must be a positive amount" };
    if (!Number.isInteger(term)) return { line, error: "termMonths must be a whole number" };
    const vin = get("vin");
    const input: ApplicationBatchInput = {
      idempotencyKey: `csv-${line}-${contentHash(cells.join("\u001f"))}`,
      application: {
        clientId: get("clientId"),
        productId: get("productId"),
        insuredObject: { kind, description: "" },
        sumInsuredKopecks: sum,
        termMonths: term,
        comment: get("comment"),
        vehicle: vin ? { vin, year: Number(get("year")), enginePowerHp: Number(get("powerHp")) } : null,
      },
    };
    return { line, input };
  });
}
