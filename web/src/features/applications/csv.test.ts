import { describe, expect, it } from "vitest";

import { contentHash, parseCsv, rowsFromCsv } from "./csv";

const C = "11111111-1111-4111-8111-111111111111";
const P = "44444444-4444-4444-8444-444444444444";

describe("parseCsv", () => {
  it("reads RFC 4180 quoting, CRLF, a BOM, and ';' from Russian spreadsheets", () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","he said ""hi"""\r\n')).toEqual([
      ["a", "b"],
      ["x, y", 'he said "hi"'],
    ]);
    expect(parseCsv('a;b\n1;"line\nbreak"\n\n')).toEqual([
      ["a", "b"],
      ["1", "line\nbreak"],
    ]);
  });
});

describe("rowsFromCsv", () => {
  const header = "clientId;productId;kind;sumRub;termMonths;comment;vin;year;powerHp";

  it("turns rows into batch inputs with money in kopecks and a vehicle when a VIN is given", () => {
    const rows = rowsFromCsv(`${header}\n${C};${P};vehicle;1 500 000,5;12;Каско;XTA210990Y2765432;2021;106\n${C};${P};PERSON;100;6;;;;`);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.line).toBe(2);
    expect(rows[0]?.input?.application).toMatchObject({
      insuredObject: { kind: "VEHICLE" },
      sumInsuredKopecks: 150_000_050,
      termMonths: 12,
      vehicle: { vin: "XTA210990Y2765432", year: 2021, enginePowerHp: 106 },
    });
    expect(rows[1]?.input?.application.vehicle).toBeNull();
  });

  it("explains unusable rows and a missing column", () => {
    const rows = rowsFromCsv(`${header}\n${C};${P};BOAT;100;12;;;;\n${C};${P};PERSON;-1;12;;;;\n${C};${P};PERSON;1;x;;;;`);
    expect(rows.map((r) => r.error)).toEqual([
      "kind must be one of PERSON, VEHICLE, PROPERTY, TRIP",
      "sumRub must be a positive amount",
      "termMonths must be a whole number",
    ]);
    expect(rowsFromCsv("clientId,productId\n1,2")[0]?.error).toBe("missing columns: kind, sumRub, termMonths");
  });

  it("gives a row the same idempotency key on every upload, and different rows different keys", () => {
    const text = `${header}\n${C};${P};PERSON;100;12;a;;;\n${C};${P};PERSON;100;12;a;;;`;
    const [one, two] = rowsFromCsv(text);
    expect(rowsFromCsv(text)[0]?.input?.idempotencyKey).toBe(one?.input?.idempotencyKey);
    expect(one?.input?.idempotencyKey).not.toBe(two?.input?.idempotencyKey); // same content, another line
    expect(one?.input?.idempotencyKey.length).toBeGreaterThanOrEqual(8);
    expect(contentHash("a")).not.toBe(contentHash("b"));
  });
});
