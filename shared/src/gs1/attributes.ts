/**
 * GS1 data attributes: the Application Identifiers a Digital Link carries in its query string,
 * such as expiry (`17=261231`) or lot (`10=ABC1`). Only all-digit keys are GS1 data; other
 * parameters (`linkType`, tracking tags) are the standard's extension mechanism and are ignored.
 * Formats are checked for the AIs labels commonly carry (keys, dates, counts, measures, lot);
 * any other AI must be 1 to 90 characters of set 82, the widest any AI allows.
 */
import { cset82Problem, lotProblem } from './charset.js';
import { invalidGs1, quote } from './fail.js';
import { glnProblem, gtinProblem, ssccProblem } from './keys.js';
import { percentDecode } from './percent.js';

/** Qualifiers that identify the thing, so they belong in the path, never in the query. */
const PATH_ONLY: ReadonlyMap<string, string> = new Map([
  ['21', '/01/{gtin}/21/{serial}'],
  ['22', '/01/{gtin}/22/{cpv}'],
  ['235', '/01/{gtin}/235/{tpx}'],
  ['254', '/414/{gln}/254/{extension}'],
]);

const DATES: ReadonlyMap<string, string> = new Map([
  ['11', 'production date'],
  ['12', 'due date'],
  ['13', 'packaging date'],
  ['15', 'best before date'],
  ['16', 'sell by date'],
  ['17', 'expiry date'],
  ['7006', 'first freeze date'],
]);

const GLN_AIS = new Set(['410', '411', '412', '413', '414', '415', '416', '417']);

const AI_KEY = /^[0-9]{2,4}$/;
const ALL_DIGITS = /^[0-9]+$/;
const MAX_ATTRIBUTE_LENGTH = 90;

/** A YYMMDD date; day 00 means the last day of the month (GS1 General Specifications 7.12). */
function dateProblem(value: string, name: string): string | undefined {
  if (!/^[0-9]{6}$/.test(value)) return `${name} must be a date YYMMDD, got ${quote(value)}`;
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) return `${name} ${quote(value)} has month ${month}; expected 01-12`;
  if (day > 31) return `${name} ${quote(value)} has day ${day}; expected 00-31`;
  return undefined;
}

function digitsProblem(
  value: string,
  name: string,
  pattern: RegExp,
  what: string,
): string | undefined {
  return pattern.test(value) ? undefined : `${name} must be ${what}, got ${quote(value)}`;
}

/** Why `value` is not a valid value of AI `ai`, or undefined. */
function formatProblem(ai: string, value: string): string | undefined {
  const name = `data attribute ${ai}`;
  const date = DATES.get(ai);
  if (date !== undefined) return dateProblem(value, `${name} (${date})`);
  if (ai === '10') return lotProblem(value);
  if (ai === '00') return ssccProblem(value);
  if (ai === '01' || ai === '02') return gtinProblem(value);
  if (GLN_AIS.has(ai)) return glnProblem(value);
  if (ai === '7003') return digitsProblem(value, name, /^[0-9]{10}$/, 'YYMMDDHHMM (10 digits)');
  if (ai === '30' || ai === '37')
    return digitsProblem(value, name, /^[0-9]{1,8}$/, '1 to 8 digits');
  // Trade and logistic measures (3100-3699) are six digits with an implied decimal point.
  if (/^3[1-6][0-9]{2}$/.test(ai)) return digitsProblem(value, name, /^[0-9]{6}$/, '6 digits');
  return cset82Problem(value, name, MAX_ATTRIBUTE_LENGTH);
}

/**
 * Checks one attribute against the AIs already in the path (`pathAis`) and its format.
 * Throws INVALID_GS1.
 */
export function checkAttribute(
  ai: string,
  value: string,
  pathAis: ReadonlySet<string>,
  path: string | undefined,
): void {
  if (!AI_KEY.test(ai)) {
    throw invalidGs1(
      `data attribute key ${quote(ai)} is not a GS1 Application Identifier (2 to 4 digits)`,
      path,
    );
  }
  if (pathAis.has(ai)) {
    throw invalidGs1(`AI ${ai} is both in the path and in the query string; give it once`, path);
  }
  const where = PATH_ONLY.get(ai);
  if (where !== undefined) {
    throw invalidGs1(`AI ${ai} is a key qualifier and belongs in the path, as in ${where}`, path);
  }
  const problem = formatProblem(ai, value);
  if (problem !== undefined) throw invalidGs1(problem, path);
}

/**
 * Parses a query string (without the `?`) into its GS1 data attributes. Parameters are separated
 * by `&` or `;`; `+` is a literal plus, as RFC 3986 has it. Throws INVALID_GS1 on an attribute
 * without a value, a repeated one, or one that fails {@link checkAttribute}.
 */
export function parseAttributes(
  query: string,
  pathAis: ReadonlySet<string>,
  path: string | undefined,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const part of query.split(/[&;]/)) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    // Empty parts (`a&&b`) and non-numeric keys are not GS1 data.
    if (!ALL_DIGITS.test(key)) continue;
    const raw = eq < 0 ? '' : part.slice(eq + 1);
    if (raw === '') throw invalidGs1(`data attribute ${key} has no value`, path);
    if (Object.hasOwn(attributes, key)) {
      throw invalidGs1(`data attribute ${key} appears more than once in the query string`, path);
    }
    const value = percentDecode(raw, 'query', `data attribute ${key}`, path);
    checkAttribute(key, value, pathAis, path);
    attributes[key] = value;
  }
  return attributes;
}
