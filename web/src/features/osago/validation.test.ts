import { describe, expect, it } from "vitest";

import { makeTranslate } from "../../i18n";
import { EMPTY_FORM, type OsagoForm, formFieldOf, normalizePhone, validateOsagoForm } from "./validation";

const t = makeTranslate("en");
const TODAY = new Date("2026-06-15T12:00:00");

const VALID: OsagoForm = {
  ...EMPTY_FORM,
  lastName: "Римский-Корсаков",
  firstName: "Николай",
  birthDate: "1990-05-17",
  phone: "+7 (916) 123-45-67",
  vin: "xta210990y2765432",
  year: "2021",
  enginePowerHp: "106",
  region: "77",
  driverAge: "35",
  driverExperienceYears: "12",
};

describe("validateOsagoForm mirrors the API's rules", () => {
  it("accepts a valid form (VIN case and phone formatting are normalized, as the server does)", () => {
    expect(validateOsagoForm(VALID, t, TODAY)).toEqual({});
    expect(normalizePhone(" +7 (916) 123-45-67 ")).toBe("+79161234567");
  });

  it("reports every broken rule at once", () => {
    const errors = validateOsagoForm(EMPTY_FORM, t, TODAY);
    expect(Object.keys(errors).sort()).toEqual(
      ["birthDate", "driverAge", "driverExperienceYears", "enginePowerHp", "firstName", "lastName", "phone", "region", "vin", "year"].sort(),
    );
  });

  it.each([
    ["lastName", "Smith2", "Letters only"],
    ["lastName", "Анна  Мария", "Letters only"],
    ["phone", "+7916123456", "Phone as"], // Russia: +7 and ten digits
    ["phone", "89161234567", "Phone as"],
    ["email", "ivan@", "An address"],
    ["vin", "XTA210990Y276543I", "17 characters"], // I is not allowed in a VIN
    ["vin", "XTA210990Y276543", "17 characters"],
    ["year", "1949", "from 1950 to 2027"],
    ["year", "2028", "from 1950 to 2027"],
    ["enginePowerHp", "2001", "from 1 to 2000"],
    ["enginePowerHp", "0", "from 1 to 2000"],
    ["region", "00", "two digits"],
    ["region", "777", "two digits"],
    ["driverAge", "17", "from 18 to 100"],
    ["birthDate", "2026-06-16", "in the past"],
    ["birthDate", "1900-01-01", "at most 120 years"],
  ] as const)("%s = %j is refused", (field, value, message) => {
    const errors = validateOsagoForm({ ...VALID, [field]: value }, t, TODAY);
    expect(errors[field]).toContain(message);
  });

  it("bounds experience by the driver's age (training from 16)", () => {
    expect(validateOsagoForm({ ...VALID, driverAge: "20", driverExperienceYears: "4" }, t, TODAY)).toEqual({});
    expect(validateOsagoForm({ ...VALID, driverAge: "20", driverExperienceYears: "5" }, t, TODAY).driverExperienceYears).toBe(
      "Experience from 0 to 4 years.",
    );
    // An invalid age gets its own message; the experience is not judged against it.
    const errors = validateOsagoForm({ ...VALID, driverAge: "", driverExperienceYears: "12" }, t, TODAY);
    expect(errors.driverAge).toBe("Driver age from 18 to 100.");
    expect(errors.driverExperienceYears).toBeUndefined();
    expect(validateOsagoForm({ ...VALID, driverExperienceYears: "" }, t, TODAY).driverExperienceYears).toBe("Fill in this field.");
  });

  it("maps the server's field paths onto the form", () => {
    expect(formFieldOf("input.vehicle.vin")).toBe("vin");
    expect(formFieldOf("engine_power_hp")).toBe("enginePowerHp");
    expect(formFieldOf("driver_experience_years")).toBe("driverExperienceYears");
    expect(formFieldOf("input.idempotencyKey")).toBeUndefined();
  });
});
