/** Field schemas shared by the payloads: keys, hashes, identifiers, times and decimals. */
import { isValidPublicKey } from '../crypto/index.js';
import { isWaybillError } from '../errors.js';
import {
  isValidGln,
  isValidGtin,
  normalizeGtin,
  parseEpc,
  type Gs1Identifier,
} from '../gs1/index.js';
import { invalid, literal, string, type Schema } from './schema.js';

export const ORG_ROLES = ['manufacturer', 'carrier', 'warehouse', 'retailer', 'inspector'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];
export const MEMBER_ROLES = ['admin', 'staff'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

const HEX64 = /^[0-9a-f]{64}$/;

export const hash = string({
  min: 64,
  max: 64,
  pattern: HEX64,
  expected: '64 lowercase hex characters',
});

export const publicKey = string({
  min: 64,
  max: 64,
  pattern: HEX64,
  expected: 'an Ed25519 public key (64 lowercase hex characters)',
  check: (value, path) => {
    if (!isValidPublicKey(value))
      invalid(path, 'is a small-order or non-canonical Ed25519 key; generate a new key');
  },
});

/** A chain id: lowercase letters, digits and hyphens (genesis names it). */
export const chainId = string({
  max: 64,
  pattern: /^[a-z0-9][a-z0-9-]*$/,
  expected: 'a chain id of lowercase letters, digits and hyphens',
});

/** An Ed25519 signature: 64 bytes as 128 lowercase hex characters. */
export const signature = string({
  min: 128,
  max: 128,
  pattern: /^[0-9a-f]{128}$/,
  expected: '128 lowercase hex characters',
});

export const orgId = string({
  max: 64,
  pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
  expected: 'an organization id of lowercase letters, digits and inner hyphens',
});

export const orgRole = literal(...ORG_ROLES);
export const memberRole = literal(...MEMBER_ROLES);

export const name = string({ max: 200 });
export const text = string({ max: 2000 });
export const label = string({ max: 100 });

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (integer arithmetic only). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/**
 * Milliseconds since the epoch of an eventTime, or undefined when it is not a real instant. Parsed
 * here rather than with `Date.parse`, whose answers for such strings differ between engines (V8
 * rolls the 30th of February over into March, SpiderMonkey refuses it; fractions other than three
 * digits are implementation-defined), so every node and every browser reach the same verdict.
 * Hours run 00 to 23, seconds 00 to 59, offsets up to 23:59; a fraction is truncated to milliseconds.
 */
export function eventTimeMs(value: string): number | undefined {
  const m = ISO_WITH_OFFSET.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetHours = Number(m[9] ?? '0');
  const offsetMinutes = Number(m[10] ?? '0');
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const offset = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const local =
    ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
  return local - offset;
}

/** ISO 8601 date-time with an explicit offset (EPCIS eventTime). */
export const eventTime = string({
  max: 40,
  pattern: ISO_WITH_OFFSET,
  expected: 'an ISO 8601 date-time with an offset, such as 2026-11-23T12:00:00.000+01:00',
  check: (value, path) => {
    if (eventTimeMs(value) === undefined) invalid(path, `"${value}" is not a real date-time`);
  },
});

export const date = string({
  max: 10,
  pattern: ISO_DATE,
  expected: 'a date as YYYY-MM-DD',
  check: (value, path) => {
    const [, year, month, day] = (ISO_DATE.exec(value) ?? []).map(Number);
    if (!isRealDate(year ?? 0, month ?? 0, day ?? 0))
      invalid(path, `"${value}" is not a real date`);
  },
});

/** Decimals travel as strings so no float ever reaches a hash ("4.5", "-18", "0.125"). */
export const decimal = string({
  max: 40,
  pattern: /^-?(0|[1-9]\d{0,17})(\.\d{1,9})?$/,
  expected: 'a decimal number as a string, such as "4.5"',
});

export const positiveDecimal = string({
  max: 40,
  pattern: /^(0|[1-9]\d{0,17})(\.\d{1,9})?$/,
  expected: 'a positive decimal number as a string, such as "120" or "2.5"',
  check: (value, path) => {
    if (Number(value) <= 0) invalid(path, 'must be greater than zero');
  },
});

export const unitOfMeasure = string({
  max: 20,
  pattern: /^[A-Za-z0-9._\-/ ]+$/,
  expected: 'a unit of measure such as "KGM", "EA" or "CEL"',
});

/** GTIN-14: signed payloads carry one spelling of each GTIN, so equal products hash equally. */
export const gtin = string({
  min: 8,
  max: 14,
  pattern: /^\d+$/,
  expected: 'a GTIN of digits',
  check: (value, path) => {
    if (!isValidGtin(value))
      invalid(
        path,
        `"${value}" is not a valid GTIN (check the length and check digit)`,
        'INVALID_GS1',
      );
    if (value.length !== 14)
      invalid(path, `write GTINs as GTIN-14: "${normalizeGtin(value)}"`, 'INVALID_GS1');
  },
});

export const gln = string({
  min: 13,
  max: 13,
  pattern: /^\d{13}$/,
  expected: 'a GLN of 13 digits',
  check: (value, path) => {
    if (!isValidGln(value)) invalid(path, `"${value}" has a wrong GS1 check digit`, 'INVALID_GS1');
  },
});

/** GS1 AI 21 / AI 10 value: 1–20 characters of the GS1 character set 82. */
export const serialOrLot = string({
  max: 20,
  pattern: /^[A-Za-z0-9!"%&'()*+,\-./:;<=>?_]+$/,
  expected: '1 to 20 characters from the GS1 character set 82',
});

/** A canonical EPC (GS1 Digital Link URI on id.gs1.org), optionally restricted by kind. */
export function epc(...kinds: Gs1Identifier['kind'][]): Schema<string> {
  return {
    parse(value, path) {
      if (typeof value !== 'string')
        return invalid(path, 'expected an EPC (a GS1 Digital Link URI)');
      let id: Gs1Identifier;
      try {
        id = parseEpc(value);
      } catch (error) {
        const reason = isWaybillError(error) ? error.message : 'not a canonical EPC';
        return invalid(path, reason, 'INVALID_GS1');
      }
      if (kinds.length > 0 && !kinds.includes(id.kind)) {
        return invalid(path, `expected the EPC of ${kinds.join(' or ')}, got one of ${id.kind}`);
      }
      return value;
    },
  };
}
