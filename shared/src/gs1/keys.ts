/**
 * The numeric GS1 keys: GTIN (8, 12, 13 or 14 digits, stored as GTIN-14), GLN (13 digits) and
 * SSCC (18 digits), each ending in a mod-10 check digit. `is*` answer yes or no; `assert*` and
 * `normalizeGtin` throw INVALID_GS1 saying what is wrong: a non-digit and where, the length, or
 * which check digit was expected.
 */
import { gs1CheckDigit } from './check-digit.js';
import { invalidGs1, quote, typeName, type Gs1PathOptions } from './fail.js';

interface KeySpec {
  readonly label: string;
  readonly lengths: readonly number[];
  readonly lengthText: string;
}

const GTIN: KeySpec = { label: 'GTIN', lengths: [8, 12, 13, 14], lengthText: '8, 12, 13 or 14' };
const GLN: KeySpec = { label: 'GLN', lengths: [13], lengthText: '13' };
const SSCC: KeySpec = { label: 'SSCC', lengths: [18], lengthText: '18' };

/** Why `value` is not a valid key of this kind, or undefined when it is one. */
function keyProblem(spec: KeySpec, value: unknown): string | undefined {
  const { label } = spec;
  if (typeof value !== 'string')
    return `${label} must be a string of digits, got ${typeName(value)}`;
  const bad = /[^0-9]/u.exec(value);
  if (bad !== null) {
    return `${label} ${quote(value)} must contain only digits 0-9, found ${quote(bad[0])} at position ${bad.index + 1}`;
  }
  if (!spec.lengths.includes(value.length)) {
    return `${label} must have ${spec.lengthText} digits, ${quote(value)} has ${value.length}`;
  }
  const body = value.slice(0, -1);
  const expected = gs1CheckDigit(body);
  const found = value.slice(-1);
  if (String(expected) !== found) {
    return `${label} ${quote(value)} has check digit ${found}, expected ${expected} (${body}${expected})`;
  }
  return undefined;
}

export function gtinProblem(value: unknown): string | undefined {
  return keyProblem(GTIN, value);
}

export function glnProblem(value: unknown): string | undefined {
  return keyProblem(GLN, value);
}

export function ssccProblem(value: unknown): string | undefined {
  return keyProblem(SSCC, value);
}

/** True for a GTIN-8, -12, -13 or -14 with a correct check digit. */
export function isValidGtin(value: unknown): boolean {
  return gtinProblem(value) === undefined;
}

export function assertGtin(value: unknown, options: Gs1PathOptions = {}): asserts value is string {
  const problem = gtinProblem(value);
  if (problem !== undefined) throw invalidGs1(problem, options.path);
}

/** The GTIN-14 form of a valid GTIN-8/12/13/14 (left-padded with zeros). Throws INVALID_GS1. */
export function normalizeGtin(value: unknown, options: Gs1PathOptions = {}): string {
  assertGtin(value, options);
  return value.padStart(14, '0');
}

/** True for 13 digits with a correct check digit. */
export function isValidGln(value: unknown): boolean {
  return glnProblem(value) === undefined;
}

export function assertGln(value: unknown, options: Gs1PathOptions = {}): asserts value is string {
  const problem = glnProblem(value);
  if (problem !== undefined) throw invalidGs1(problem, options.path);
}

/** True for 18 digits with a correct check digit. */
export function isValidSscc(value: unknown): boolean {
  return ssccProblem(value) === undefined;
}

export function assertSscc(value: unknown, options: Gs1PathOptions = {}): asserts value is string {
  const problem = ssccProblem(value);
  if (problem !== undefined) throw invalidGs1(problem, options.path);
}
