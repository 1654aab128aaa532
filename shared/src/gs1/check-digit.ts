/**
 * The GS1 mod-10 check digit shared by GTIN-8/12/13/14, GLN and SSCC. Weights 3 and 1 alternate
 * starting from the rightmost data digit, so left-padding with zeros never changes the check
 * digit: that is why a GTIN-13 and its GTIN-14 form end in the same digit.
 */
import { invalidGs1, quote } from './fail.js';

const DIGITS = /^[0-9]+$/;

/** The check digit (0-9) for `digitsWithoutCheck`, one or more digits 0-9. Throws INVALID_GS1. */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  if (!DIGITS.test(digitsWithoutCheck)) {
    throw invalidGs1(
      `a check digit is computed over one or more digits 0-9, got ${quote(digitsWithoutCheck)}`,
      undefined,
    );
  }
  let sum = 0;
  let weight = 3;
  for (let i = digitsWithoutCheck.length - 1; i >= 0; i--) {
    sum += (digitsWithoutCheck.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}
