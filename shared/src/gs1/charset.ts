/**
 * GS1 AI encodable character set 82 and the values Waybill draws from it: serial (AI 21), lot
 * (AI 10) and consumer product variant (AI 22), each 1 to 20 characters. Every character of the
 * set is ASCII, so a string's length is its character count once the set has been checked.
 */
import { invalidGs1, quote, typeName, type Gs1PathOptions } from './fail.js';

/** The set as listed by the GS1 General Specifications, for messages. */
export const CSET82_DESCRIPTION = `A-Z a-z 0-9 ! " % & ' ( ) * + , - . / : ; < = > ? _`;

const OUTSIDE_CSET82 = /[^A-Za-z0-9!"%&'()*+,\-./:;<=>?_]/u;

/** Why `value` is not 1 to `max` characters of set 82, or undefined when it is. */
export function cset82Problem(value: unknown, label: string, max: number): string | undefined {
  if (typeof value !== 'string') return `${label} must be a string, got ${typeName(value)}`;
  if (value === '') return `${label} must not be empty`;
  const bad = OUTSIDE_CSET82.exec(value);
  if (bad !== null) {
    return (
      `${label} ${quote(value)} contains ${quote(bad[0])} at position ${bad.index + 1}, ` +
      `which is not in GS1 character set 82 (${CSET82_DESCRIPTION})`
    );
  }
  if (value.length > max) {
    return `${label} must be at most ${max} characters, ${quote(value)} has ${value.length}`;
  }
  return undefined;
}

/** Maximum length of a serial, lot or CPV (AIs 21, 10 and 22 are all X..20). */
export const MAX_QUALIFIER_LENGTH = 20;

export function serialProblem(value: unknown): string | undefined {
  return cset82Problem(value, 'serial', MAX_QUALIFIER_LENGTH);
}

export function lotProblem(value: unknown): string | undefined {
  return cset82Problem(value, 'lot', MAX_QUALIFIER_LENGTH);
}

export function cpvProblem(value: unknown): string | undefined {
  return cset82Problem(value, 'consumer product variant', MAX_QUALIFIER_LENGTH);
}

/** True for a serial number (AI 21): 1 to 20 characters of set 82. */
export function isValidSerial(value: unknown): boolean {
  return serialProblem(value) === undefined;
}

export function assertSerial(
  value: unknown,
  options: Gs1PathOptions = {},
): asserts value is string {
  const problem = serialProblem(value);
  if (problem !== undefined) throw invalidGs1(problem, options.path);
}

/** True for a batch or lot number (AI 10): 1 to 20 characters of set 82. */
export function isValidLot(value: unknown): boolean {
  return lotProblem(value) === undefined;
}

export function assertLot(value: unknown, options: Gs1PathOptions = {}): asserts value is string {
  const problem = lotProblem(value);
  if (problem !== undefined) throw invalidGs1(problem, options.path);
}

/** True for a consumer product variant (AI 22): 1 to 20 characters of set 82. */
export function isValidCpv(value: unknown): boolean {
  return cpvProblem(value) === undefined;
}

export function assertCpv(value: unknown, options: Gs1PathOptions = {}): asserts value is string {
  const problem = cpvProblem(value);
  if (problem !== undefined) throw invalidGs1(problem, options.path);
}
