/**
 * The purchase form's rules, mirroring the API's so most mistakes are caught before a round trip:
 * names and phone as `services/client_info/rules.py`, vehicle as `services/applications/domain.py`,
 * driver and region as `services/core_app/osago/inputs.py`. The server stays the authority: its
 * `fieldErrors` are shown beside the fields too.
 */
import type { MessageKey, Translate } from "../../i18n";

export interface OsagoForm {
  lastName: string;
  firstName: string;
  middleName: string;
  birthDate: string;
  phone: string;
  email: string;
  vin: string;
  plate: string;
  make: string;
  model: string;
  year: string;
  enginePowerHp: string;
  region: string;
  driverAge: string;
  driverExperienceYears: string;
}

export type FormErrors = Partial<Record<keyof OsagoForm, string>>;

export const EMPTY_FORM: OsagoForm = {
  lastName: "",
  firstName: "",
  middleName: "",
  birthDate: "",
  phone: "",
  email: "",
  vin: "",
  plate: "",
  make: "",
  model: "",
  year: "",
  enginePowerHp: "",
  region: "",
  driverAge: "",
  driverExperienceYears: "",
};

const NAME = /^[A-Za-zА-Яа-яЁё]+(?:[ -][A-Za-zА-Яа-яЁё]+)*$/;
const E164 = /^\+[1-9][0-9]{7,14}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$/;
const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;
const REGION = /^[0-9]{2}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const MIN_VEHICLE_YEAR = 1950;
export const MAX_ENGINE_POWER_HP = 2000;
export const MIN_DRIVER_AGE = 18;
export const MAX_DRIVER_AGE = 100;
const EARLIEST_DRIVING_AGE = 16;
const MAX_AGE_YEARS = 120;
const MAX_NAME = 100;

/** The phone without the spaces, hyphens and parentheses people type (as the server does). */
export function normalizePhone(value: string): string {
  return value.trim().replace(/[\s\-()\u00a0]/g, "");
}

export function normalizeVin(value: string): string {
  return value.trim().toUpperCase();
}

function wholeNumber(value: string): number | null {
  return /^\d{1,6}$/.test(value.trim()) ? Number(value.trim()) : null;
}

function yearsBetween(born: Date, today: Date): number {
  let years = today.getFullYear() - born.getFullYear();
  const beforeBirthday =
    today.getMonth() < born.getMonth() || (today.getMonth() === born.getMonth() && today.getDate() < born.getDate());
  if (beforeBirthday) years -= 1;
  return years;
}

/** Every rule broken by `form`, as translated messages keyed by field; empty when valid. */
export function validateOsagoForm(form: OsagoForm, t: Translate, today: Date = new Date()): FormErrors {
  const errors: FormErrors = {};
  const fail = (field: keyof OsagoForm, key: MessageKey, params?: Record<string, number>) => {
    errors[field] ??= t(key, params);
  };
  for (const field of ["lastName", "firstName"] as const) {
    const value = form[field].trim();
    if (!value) fail(field, "validation.required");
    else if (value.length > MAX_NAME || !NAME.test(value)) fail(field, "validation.name");
  }
  const middle = form.middleName.trim();
  if (middle && (middle.length > MAX_NAME || !NAME.test(middle))) fail("middleName", "validation.name");

  if (!form.birthDate) fail("birthDate", "validation.required");
  else {
    const born = new Date(`${form.birthDate}T00:00:00`);
    if (!ISO_DATE.test(form.birthDate) || Number.isNaN(born.getTime()) || born > today) {
      fail("birthDate", "validation.birthDate");
    } else if (yearsBetween(born, today) > MAX_AGE_YEARS) fail("birthDate", "validation.birthDate");
  }

  const phone = normalizePhone(form.phone);
  if (!phone) fail("phone", "validation.required");
  else if (!E164.test(phone) || (phone.startsWith("+7") && phone.length !== 12)) fail("phone", "validation.phone");
  const email = form.email.trim();
  if (email && (email.length > 254 || !EMAIL.test(email))) fail("email", "validation.email");

  if (!form.vin.trim()) fail("vin", "validation.required");
  else if (!VIN.test(normalizeVin(form.vin))) fail("vin", "validation.vin");
  const lastYear = today.getFullYear() + 1;
  const year = wholeNumber(form.year);
  if (year === null || year < MIN_VEHICLE_YEAR || year > lastYear) {
    fail("year", "validation.year", { min: MIN_VEHICLE_YEAR, max: lastYear });
  }
  const power = wholeNumber(form.enginePowerHp);
  if (power === null || power < 1 || power > MAX_ENGINE_POWER_HP) fail("enginePowerHp", "validation.power");

  if (!REGION.test(form.region.trim()) || Number(form.region) === 0) fail("region", "validation.region");
  const age = wholeNumber(form.driverAge);
  if (age === null || age < MIN_DRIVER_AGE || age > MAX_DRIVER_AGE) fail("driverAge", "validation.driverAge");
  const experience = wholeNumber(form.driverExperienceYears);
  if (experience === null) fail("driverExperienceYears", "validation.required");
  else if (age !== null && age >= MIN_DRIVER_AGE && age <= MAX_DRIVER_AGE) {
    // Only a valid age bounds the experience; otherwise the age's own message says what to fix.
    const maxExperience = Math.max(age - EARLIEST_DRIVING_AGE, 0);
    if (experience > maxExperience) fail("driverExperienceYears", "validation.experience", { max: maxExperience });
  }
  return errors;
}

/** The API's field paths (`input.vehicle.vin`, `engine_power_hp`) mapped onto the form's fields. */
export function formFieldOf(apiField: string): keyof OsagoForm | undefined {
  const leaf = apiField.split(".").pop() ?? "";
  const camel = leaf.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const aliases: Record<string, keyof OsagoForm> = { engineDisplacement: "enginePowerHp" };
  if (camel in EMPTY_FORM) return camel as keyof OsagoForm;
  return aliases[camel];
}
