/**
 * Field predicates shared by headers, votes, certificates and genesis, so "well formed" has a
 * single definition. They only look at form; whether a key is a valid curve point is the crypto
 * module's job.
 */
import { isHex } from '../encoding/index.js';

/** Exactly what `Date#toISOString` writes for years 0000 to 9999. */
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A SHA-256 hash: 64 lowercase hex characters. */
export function isHashHex(value: unknown): value is string {
  return isHex(value, 32);
}

/** An Ed25519 public key's form: 64 lowercase hex characters. */
export function isKeyHex(value: unknown): value is string {
  return isHex(value, 32);
}

/** An Ed25519 signature's form: 128 lowercase hex characters. */
export function isSignatureHex(value: unknown): value is string {
  return isHex(value, 64);
}

/** Heights and rounds: safe integers, so they hash identically everywhere, and never negative. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function isChainId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * An ISO 8601 UTC timestamp with milliseconds that names a real instant: the round trip through
 * `Date` refuses the 30th of February and the 25th hour, which the pattern alone would let through.
 */
export function isTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || !TIMESTAMP_RE.test(value)) return false;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first key of `value` outside `allowed`: unknown fields are rejected, not ignored. */
export function unknownKey(
  value: Record<string, unknown>,
  allowed: ReadonlySet<string>,
): string | undefined {
  return Object.keys(value).find((key) => !allowed.has(key));
}
